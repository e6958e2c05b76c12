"""The clerk's tools in a real browser: a reply template filled into the reply box, the
office search, a case and its 办理单 printed (print media: no navigation, no buttons)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from casework.services import case_actions, reply_templates
from tests.e2e.conftest import shoot
from tests.e2e.test_letter_flow import login, queued_letter
from tests.factories import letter
from tests.web.helpers import case_row, user

pytestmark = pytest.mark.e2e
TEMPLATE = "尊敬的{来信人称呼}：您的来信（编号 {编号}）收悉。经核实，"


def test_template_search_and_print(live_app, page_factory):
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        number = letter(user("dispatcher"), subject="城关镇自来水频繁停水", citizen_name="王先生").number
        case_actions.perform(user("dispatcher"), number, "assign", {"unit_code": "zyx"})
        reply_templates.create(user("zyx_leader"), "停水答复", TEMPLATE)

    unit = page_factory()
    login(unit, base, "zyx_handler")
    unit.goto(f"{base}/cases/{number}")
    form = unit.locator(f"#form-{number}-reply")
    if form.locator("details").get_attribute("open") is None:
        form.locator("summary").click()
    picker = unit.locator("select[data-template-for]")
    picker.select_option(label="本单位 · 停水答复")
    box = unit.locator(f"#form-{number}-reply-body")
    assert box.input_value() == f"尊敬的王先生：您的来信（编号 {number}）收悉。经核实，"
    box.press("End")
    box.type("系管网老化所致，已于本周更换管道，恢复正常供水。")
    shoot(unit, "reply_template_filled")
    unit.set_viewport_size({"width": 390, "height": 844})
    shoot(unit, "reply_template_phone")

    office = page_factory()
    login(office, base, "dispatcher")
    office.goto(f"{base}/search")
    office.fill("input[name=q]", "停水")
    office.locator("input[name=q]").press("Enter")
    office.locator("#search-results mark").first.wait_for()
    assert number in office.locator("#search-results").inner_text()
    assert "q=" in office.url  # the search is in the address: a link or reload keeps it
    shoot(office, "search_desktop")
    office.set_viewport_size({"width": 390, "height": 844})
    shoot(office, "search_phone")

    office.set_viewport_size({"width": 1360, "height": 900})
    office.goto(f"{base}/cases/{number}")
    office.emulate_media(media="print")
    assert not office.locator("nav.nav").is_visible()
    assert office.locator("button:visible").count() == 0
    shoot(office, "case_print")
    office.goto(f"{base}/cases/{number}/sheet")
    assert office.locator("h1.sheet-title").inner_text() == "信件办理单"
    assert not office.locator(".sheet-tools").is_visible()
    shoot(office, "handling_sheet_print")
    office.emulate_media(media="screen")
    office.set_viewport_size({"width": 390, "height": 844})
    shoot(office, "handling_sheet_phone")


def test_the_review_queue_moves_on_to_the_next_letter_after_a_key(live_app, page_factory):
    base = live_app.config["LIVE_URL"]
    numbers = []
    with live_app.app_context():
        for subject in ("城关镇自来水频繁停水", "新桥社区路灯不亮"):
            number = letter(user("dispatcher"), subject=subject).number
            case_actions.perform(user("dispatcher"), number, "assign", {"unit_code": "zyx"})
            case_actions.perform(user("zyx_handler"), number, "reply", {"body": "经核实，已于本周修复。"})
            numbers.append(number)
    reviewer = page_factory()
    login(reviewer, base, "reviewer")
    reviewer.goto(f"{base}/review")
    first, second = (reviewer.locator(f"#item-{n}") for n in numbers)
    first.focus()
    reviewer.keyboard.press("a")
    reviewer.locator(f"#item-{numbers[0]}.done").wait_for()
    # Focus is on the next letter, so the next key acts on it, not on the page's first.
    expect(second).to_be_focused(timeout=5000)
    reviewer.keyboard.press("a")
    reviewer.locator(f"#item-{numbers[1]}.done").wait_for()
    assert second.get_attribute("class") and "done" in second.get_attribute("class")


def test_a_case_with_its_action_forms_fits_a_phone(live_app, page_factory):
    from tests.e2e.accessibility import overflow

    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        number = letter(user("dispatcher"), subject="城关镇自来水频繁停水").number
        case_actions.perform(user("dispatcher"), number, "assign", {"unit_code": "zyx"})
    unit = page_factory()
    unit.set_viewport_size({"width": 390, "height": 844})
    login(unit, base, "zyx_handler")
    unit.goto(f"{base}/cases/{number}")
    for summary in unit.locator("#case .actions details:not([open]) > summary").all():
        if summary.is_visible():
            summary.click()  # every action form open, as a handler about to reply has them
    assert overflow(unit) == 0
    shoot(unit, "case_page_forms_phone")


def test_a_filter_that_hides_every_unit_leaves_none_chosen(live_app, page_factory):
    number, dispatcher, item = queued_letter(live_app, page_factory, "城关镇自来水频繁停水")
    assert item.locator("select[name=unit_code]").input_value() == "zyx"
    item.locator("input.unit-filter").first.fill("紫阳县公安局")  # matches no unit
    assert item.locator("select[name=unit_code]").input_value() == ""
    item.locator('form[data-event="assign"] button.btn-primary').click()
    dispatcher.wait_for_timeout(500)  # time for a request, had the form sent one
    assert case_row(live_app, number).state == "opened"  # not sent to the unit the filter hid
