"""A citizen on a 390 px phone: write, confirm (copy the code), follow, read the answer,
rate; and the same page for someone who lost the code. Driven in Debian's chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.accessibility import axe_violations, overflow
from tests.e2e.conftest import shoot
from tests.web.helpers import user

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def answer(app, number):
    from casework.services import case_actions
    with app.app_context():
        for username, event, data in [
                ("dispatcher", "assign", {"unit_code": "zyx"}), ("zyx_handler", "acknowledge", {}),
                ("zyx_handler", "reply", {"body": "王建国您好！经核实，新桥社区停水系主管道爆裂，已于 3 月 5 日更换管道并恢复供水。"
                                                  "今后计划停水将提前 24 小时在小区公告栏通知。"}),
                ("reviewer", "accept", {}), ("reviewer", "close", {})]:
            case_actions.perform(user(username), number, event, data)


def test_write_confirm_follow_read_and_rate_on_a_phone(live_app, chromium):
    base = live_app.config["LIVE_URL"]
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True,
                                   permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(10_000)

    # From the public home to the form; the 须知 comes first, nothing is chosen for her.
    page.goto(base + "/")
    page.get_by_role("link", name="我要写信").click()
    assert "留言须知" in page.locator("main").inner_text()
    assert not page.locator("input[name=category]:checked").count()
    page.get_by_label("求助").check()
    page.get_by_label("标题").fill("新桥社区频繁停水")
    page.get_by_label("内容").fill("新桥社区近一个月停水四次，每次都没有提前通知，老人做饭喝水都很困难。")
    counter = page.locator("#letter-body-count")
    assert re.search(r"已输入 \d+ 字，还可输入 \d+ 字", counter.inner_text())
    page.get_by_label("姓名").fill("王建国")
    assert page.get_by_label("联系电话").get_attribute("type") == "tel"
    page.get_by_label("联系电话").fill("13909150001")
    page.get_by_text("同意在去除个人信息后公开").click()
    shoot(page, "public_write_filled_390")
    page.get_by_role("button", name="提交来信").click()

    # The confirmation: number, code, a copy button that works under the strict CSP.
    page.wait_for_url("**/letters/submitted")
    number = page.locator("#letter-number").inner_text()
    code = page.locator("#query-code").inner_text()
    assert re.fullmatch(r"XJ-\d{4}-\d{6}", number) and re.fullmatch(r"[A-Z2-9]{12}", code)
    assert "派单后 5 个工作日内" in page.locator("main").inner_text()
    page.get_by_role("button", name="复制查询码").click()
    page.get_by_text("已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == code
    shoot(page, "public_submitted_390")
    page.reload()  # reloading shows the same letter again, it does not file a second one
    assert page.locator("#query-code").inner_text() == code
    with live_app.app_context():
        from casework.extensions import db
        from casework.models import Case
        assert db.session.query(Case).count() == 1

    # Later, in a fresh browser: the code opens the progress page; Back works.
    answer(live_app, number)
    fresh = chromium.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True).new_page()
    fresh.goto(base + "/")
    fresh.get_by_role("link", name="查询", exact=True).click()
    fresh.locator("#code").fill(code.lower())
    fresh.locator("form:has(input[value=code]) button").click()
    fresh.wait_for_url(f"**/letters/progress/{number}")
    text = fresh.locator("main").inner_text()
    assert "已办结" in text and "更换管道并恢复供水" in text and "紫阳县人民政府" in text and "当日办结" in text
    assert "王建国" not in text and "13909150001" not in text
    assert "答复已公开" not in text  # read by its writer before anyone published it
    assert not axe_violations(fresh) and overflow(fresh) <= 0
    shoot(fresh, "public_progress_answered_390")

    # 不满意 asks why before it is sent.
    assert not fresh.locator("fieldset.reasons").is_visible()
    fresh.get_by_label("不满意").check()
    assert fresh.locator("fieldset.reasons").is_visible()
    fresh.get_by_label("问题没有解决").check()
    fresh.get_by_label("想说的话").fill("水压还是很低")
    shoot(fresh, "public_rating_390")
    fresh.get_by_role("button", name="提交评价").click()
    fresh.get_by_text("感谢您的评价").first.wait_for()
    assert "问题没有解决" in fresh.locator("main").inner_text()
    fresh.go_back()  # Back after the rating: the page before it, never "resubmit the form?"
    assert fresh.url.endswith(f"/letters/progress/{number}") and fresh.locator("h1").inner_text() == "办理进度"
    with live_app.app_context():
        case = db.session.query(Case).filter_by(number=number).one()
        assert (case.rating.grade, case.rating.reasons) == ("unsatisfied", ["unsolved"])
    fresh.context.close()

    # Someone who lost the code: the number and the phone open the same page.
    lost = chromium.new_context(viewport=PHONE, locale="zh-CN").new_page()
    lost.goto(base + "/letters/query")
    lost.get_by_label("来信编号").fill(number)
    lost.locator("#phone").fill("139-0915-0001")
    lost.locator("form:has(input[value=number]) button").click()
    lost.wait_for_url(f"**/letters/progress/{number}")
    assert "您的评价" in lost.locator("main").inner_text()
    lost.context.close()
    context.close()


def test_errors_are_tied_to_their_fields_and_keyboard_users_can_skip(live_app, chromium):
    base = live_app.config["LIVE_URL"]
    page = chromium.new_context(viewport=PHONE, locale="zh-CN").new_page()
    page.goto(base + "/letters/new")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # a visible focus ring
    page.get_by_role("button", name="提交来信").click()
    page.wait_for_load_state()
    # The page comes back with the summary in view and focused, not at its top (the
    # summary sits below the notice, a screen or two down on a phone).
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_be_in_viewport()
    phone = page.locator("#letter-citizen_phone")
    assert phone.get_attribute("aria-invalid") == "true"
    described = phone.get_attribute("aria-describedby").split()
    assert "请填写联系电话" in page.locator(f"#{described[-1]}").inner_text()
    assert page.locator(".error-summary a[href='#letter-category']").count() == 1
    assert not axe_violations(page)
    shoot(page, "public_write_errors_390")
    page.context.close()
