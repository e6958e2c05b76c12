"""The knowledge base in a real browser: a citizen finds an answer while typing the
subject, a unit copies a suggested answer into its reply, the dispatcher and the office
see their hints."""

from __future__ import annotations

import pytest

from casework.permissions import SYSTEM_ACTOR
from casework.services import case_actions, knowledge
from tests.e2e.conftest import shoot
from tests.e2e.test_letter_flow import login
from tests.factories import letter
from tests.web.helpers import user

pytestmark = pytest.mark.e2e
ANSWER = "向户籍所在地乡镇人民政府（街道办事处）提出书面申请，经家庭经济状况调查和公示后审批。"


def test_citizen_unit_dispatcher_and_office_use_the_knowledge_base(live_app, page_factory):
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        knowledge.create(SYSTEM_ACTOR, {"question": "最低生活保障如何申请？", "answer": ANSWER,
                                        "category": "民政服务"}, publish=True)
        number = letter(user("dispatcher"), subject="想申请低保", body="家里困难，低保去哪里申请？").number
        case_actions.perform(user("dispatcher"), number, "assign", {"unit_code": "zyx"})
        for i in range(3):
            letter(user("dispatcher"), subject=f"低保金迟迟没发{i}", body="低保金本月没有到账。",
                   citizen_phone=f"1390911000{i}")

    citizen = page_factory()
    citizen.set_viewport_size({"width": 360, "height": 780})
    citizen.goto(f"{base}/letters/new")
    citizen.locator("input[name=subject]").press_sequentially("低保咋申请", delay=30)
    citizen.locator("#kb-suggest .kb-suggest-title").wait_for()
    assert "最低生活保障如何申请" in citizen.locator("#kb-suggest").inner_text()
    shoot(citizen, "knowledge_letter_form_phone")
    citizen.goto(f"{base}/knowledge?q=低保咋申请")
    assert citizen.locator("mark").first.inner_text() == "最低生活保障"
    shoot(citizen, "knowledge_search_phone")

    handler = page_factory()
    login(handler, base, "zyx_handler")
    handler.goto(f"{base}/cases/{number}")
    handler.locator("#kb-reply-list button.kb-copy").first.click()
    assert ANSWER in handler.locator(f"#form-{number}-reply-body").input_value()
    handler.locator(f"#draft-status-{number}").get_by_text("草稿已保存").wait_for()
    shoot(handler, "knowledge_reply_suggestions")

    dispatcher = page_factory()
    login(dispatcher, base, "dispatcher")
    dispatcher.goto(f"{base}/dispatch")
    assert "可能重复（并单建议）" in dispatcher.locator("#dispatch-list").inner_text()
    shoot(dispatcher, "knowledge_dispatch_hints")

    office = page_factory()
    login(office, base, "reviewer")
    office.goto(f"{base}/overview")
    office.locator("#hot-topics").get_by_text("按区域").click()
    office.locator("#hot-topics th").get_by_text("区域").wait_for()
    assert "低保" in office.locator("#hot-topics").inner_text() or "最低生活保障" in office.locator("#hot-topics").inner_text()
    shoot(office, "knowledge_hot_topics")
