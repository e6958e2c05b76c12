"""The whole life of a letter, clicked through in a real browser."""

import pytest

from tests.e2e.conftest import shoot
from tests.factories import PASSWORD, letter
from tests.web.helpers import user

pytestmark = pytest.mark.e2e


def login(page, base, username):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    # Wait for the signed-in page itself: the login page is already loaded, so waiting
    # for a load state could return before the form's navigation has begun.
    with page.expect_navigation():
        page.click("button.btn-primary")
    if "/login" in page.url:  # say why, instead of timing out on the next page's link
        raise AssertionError(f"{username} is still at {page.url}: {page.locator('main').inner_text()[:300]}")


def queued_letter(live_app, page_factory, subject: str):
    """A new letter in the dispatcher's queue: its number, the signed-in dispatcher's page
    and the letter's item, with 紫阳 typed into its unit picker's filter."""
    with live_app.app_context():
        number = letter(user("dispatcher"), subject=subject).number
    dispatcher = page_factory()
    login(dispatcher, live_app.config["LIVE_URL"], "dispatcher")
    item = dispatcher.locator(f"#item-{number}")
    item.locator("input.unit-filter").first.fill("紫阳")
    return number, dispatcher, item


def test_dispatch_reply_return_reply_accept_close(live_app, page_factory):
    base = live_app.config["LIVE_URL"]
    # The dispatcher finds the letter, filters the unit picker and assigns it.
    number, dispatcher, item = queued_letter(live_app, page_factory, "城关镇自来水频繁停水")
    assert dispatcher.url.endswith("/dispatch")
    assert item.locator("select[name=unit_code]").input_value() == "zyx"
    item.locator('form[data-event="assign"] button.btn-primary').click()
    dispatcher.locator(f"#item-{number}.done").wait_for()
    assert "已派单" in dispatcher.locator(f"#item-{number}").inner_text()

    # The unit handler sees it in the inbox and replies (htmx swaps the case in place).
    handler = page_factory()
    login(handler, base, "zyx_handler")
    assert number in handler.locator("#inbox-list").inner_text()
    shoot(handler, "inbox")
    handler.click(f"text={number}")
    handler.fill(f"#form-{number}-reply-body", "您反映的问题已转交相关部门，请耐心等待。")
    handler.locator(f'#form-{number}-reply button.btn-primary').click()
    handler.locator("#case .flash").wait_for()
    assert "答复已提交" in handler.locator("#case .flash").inner_text()

    # The reviewer returns it as 推诿敷衍.
    reviewer = page_factory()
    login(reviewer, base, "reviewer")
    shoot(reviewer, "review_queue")
    item = reviewer.locator(f"#item-{number}")
    item.locator("select[name=reason]").select_option("buck_passing")
    item.locator('form[data-event="return_reply"] textarea[name=comment]').fill("未说明转交哪个部门、何时办结")
    item.locator('form[data-event="return_reply"] button.btn-danger').click()
    reviewer.locator(f"#item-{number}.done").wait_for()

    # The handler sees it returned and replies properly; a draft survives a reload first.
    handler.goto(f"{base}/inbox?tab=returned")
    assert number in handler.locator("#inbox-list").inner_text()
    handler.goto(f"{base}/cases/{number}")
    handler.fill(f"#form-{number}-reply-body", "经核实，城关镇供水管网已于昨日抢修完毕，恢复正常供水。")
    handler.locator(f"#draft-status-{number}").get_by_text("草稿已保存").wait_for()
    handler.reload()
    assert "抢修完毕" in handler.locator(f"#form-{number}-reply-body").input_value()
    handler.locator(f'#form-{number}-reply button.btn-primary').click()
    handler.locator("#case .flash").wait_for()

    # The reviewer accepts with the keyboard, then closes the case on its page.
    reviewer.goto(f"{base}/review")
    reviewer.locator(f"#item-{number}").focus()
    reviewer.keyboard.press("a")
    reviewer.locator(f"#item-{number}.done").wait_for()
    reviewer.goto(f"{base}/cases/{number}")
    reviewer.locator(f'#form-{number}-close button.btn-primary').click()
    reviewer.locator("#case .flash").get_by_text("已办结").wait_for()
    shoot(reviewer, "case_page")

    timeline = reviewer.locator(".timeline").inner_text()
    for label in ("登记", "派单", "提交答复", "发回重办", "退回原因：推诿敷衍", "审核通过", "办结"):
        assert label in timeline, label
    assert timeline.count("提交答复") == 2
    assert "已办结" in reviewer.locator(".case-head").inner_text()


def test_other_units_case_is_not_found_in_the_browser(live_app, page_factory):
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        from casework.services import case_actions
        number = letter(user("dispatcher")).number
        case_actions.perform(user("dispatcher"), number, "assign", {"unit_code": "gaj"})
    page = page_factory()
    login(page, base, "zyx_handler")
    response = page.goto(f"{base}/cases/{number}")
    assert response.status == 404 and "不存在" in page.content()
