"""Issue 17 (part A) in a real browser: a running action shows it is busy and cannot be sent
twice, an error keeps the card and what was typed, closing actions ask first, bulk work,
and screenshots of the changed pages at desktop and phone width."""

import pytest

from tests.e2e.accessibility import axe_violations
from tests.e2e.conftest import shoot
from tests.e2e.test_letter_flow import login
from tests.factories import letter
from tests.web.helpers import user
from tests.web.test_reinspection import two_rounds

pytestmark = pytest.mark.e2e

# Recorded at htmx:beforeSend, when the request is about to leave: is the button disabled,
# is the busy sign shown?
WATCH = """() => { window.__seen = [];
  document.body.addEventListener("htmx:beforeSend", (e) => {
    const form = e.detail.elt.closest("form"); if (!form) return;
    const busy = form.querySelector(".htmx-indicator");
    window.__seen.push({disabled: form.querySelector("button").disabled,
                        busy: busy ? getComputedStyle(busy).display : "none"});
  }); }"""


def letters(app, n):
    with app.app_context():
        return [letter(user("dispatcher"), subject=f"第{i}号路灯不亮").number for i in range(n)]


def test_a_running_action_is_busy_and_an_error_keeps_card_and_input(live_app, page_factory):
    base = live_app.config["LIVE_URL"]
    number, other = letters(live_app, 2)
    page = page_factory()
    login(page, base, "dispatcher")
    page.evaluate(WATCH)
    item = page.locator(f"#item-{number}")
    form = item.locator('form[data-event="merge"]')
    form.locator("summary").click()
    form.locator("input[name=primary_number]").fill("XJ-2026-999999")
    form.locator("button.btn").first.click()  # hx-confirm: the page factory accepts
    form = item.locator('form[data-event="merge"]')
    form.locator(".field-error").wait_for()
    assert "找不到主案件“XJ-2026-999999”" in form.inner_text()
    assert form.locator("input[name=primary_number]").input_value() == "XJ-2026-999999"
    assert item.is_visible() and "done" not in (item.get_attribute("class") or "")
    seen = page.evaluate("window.__seen")
    assert len(seen) == 1 and seen[0]["disabled"] and seen[0]["busy"] != "none"
    assert not form.locator("button.btn").first.is_disabled()  # enabled again afterwards
    assert page.locator(f"#item-{other}").is_visible()
    shoot(page, "dispatch_merge_error")


def test_closing_actions_ask_first_and_cancelling_changes_nothing(live_app, chromium):
    base = live_app.config["LIVE_URL"]
    (number,) = letters(live_app, 1)
    context = chromium.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        asked = []
        page.on("dialog", lambda d: (asked.append(d.message), d.dismiss()))
        login(page, base, "dispatcher")
        form = page.locator(f'#item-{number} form[data-event="dismiss"]')
        form.locator("summary").click()
        form.locator("select[name=reason]").select_option("spam")
        form.locator("button.btn-danger").click()
        page.wait_for_timeout(300)
        assert asked == [f"不予受理后 {number} 即办结，来信人可查到不予受理的原因。确定不予受理吗？"]
        page.reload()
        assert page.locator(f"#item-{number}").is_visible()  # still waiting for dispatch
    finally:
        context.close()


def test_bulk_assign_and_sign_for(live_app, page_factory):
    base = live_app.config["LIVE_URL"]
    numbers = letters(live_app, 3)
    dispatcher = page_factory()
    login(dispatcher, base, "dispatcher")
    bar = dispatcher.locator("#bulk-assign")
    bar.locator("summary").click()
    bar.locator("input[data-select-all]").check()
    assert bar.locator("[data-selected-count-for]").inner_text() == "已选 3 件"
    bar.locator("input.unit-filter").fill("紫阳")
    assert axe_violations(dispatcher) == []
    shoot(dispatcher, "dispatch_bulk")
    bar.locator("button.btn-primary").click()
    result = dispatcher.locator(".bulk-results")
    result.wait_for()
    assert "3 件中成功 3 件" in result.inner_text()
    for number in numbers:
        assert f"{number} 已派单" in result.inner_text()

    handler = page_factory()
    login(handler, base, "zyx_handler")
    handler.locator("input[data-select-all=bulk-ack]").check()
    assert axe_violations(handler) == []
    shoot(handler, "inbox_bulk")
    handler.locator("#bulk-ack button.btn-primary").click()
    handler.locator(".bulk-results").wait_for()
    assert "3 件中成功 3 件" in handler.locator(".bulk-results").inner_text()
    assert handler.locator("#bulk-ack").count() == 0  # nothing left to sign for


def test_screenshots_of_the_changed_pages(live_app, page_factory):
    base = live_app.config["LIVE_URL"]
    _, finding = two_rounds(live_app)
    letters(live_app, 2)
    reviewer = page_factory()
    login(reviewer, base, "reviewer")
    handler = page_factory()
    login(handler, base, "zyx_handler")
    handler.goto(f"{base}/cases/{finding}")
    handler.fill(f"#form-{finding}-reply-body", "错链接已修复，空栏目已补充内容。")
    handler.locator(f"#form-{finding}-reply button.btn-primary").click()
    handler.locator("#case .flash-success").wait_for()
    reviewer.goto(f"{base}/review")
    shoot(reviewer, "review_finding")
    reviewer.goto(f"{base}/cases/{finding}")
    assert "历次检查" in reviewer.inner_text("#case") and "6109240032" in reviewer.inner_text("#case")
    assert axe_violations(reviewer) == []  # the 复查不合格 form: checkboxes and lines
    for path, name in ((f"/cases/{finding}", "finding_page"), ("/registry", "registry"),
                       ("/overview", "overview")):
        reviewer.set_viewport_size({"width": 1360, "height": 900})
        reviewer.goto(f"{base}{path}")
        shoot(reviewer, name)
        reviewer.set_viewport_size({"width": 390, "height": 844})
        reviewer.goto(f"{base}{path}")
        shoot(reviewer, f"{name}_390")
    dispatcher = page_factory()
    login(dispatcher, base, "dispatcher")
    dispatcher.set_viewport_size({"width": 390, "height": 844})
    dispatcher.goto(f"{base}/dispatch")
    dispatcher.locator("#bulk-assign summary").click()
    shoot(dispatcher, "dispatch_bulk_390")


def test_a_message_goes_when_the_next_action_starts(live_app, page_factory):
    base = live_app.config["LIVE_URL"]
    page = page_factory()
    login(page, base, "dispatcher")
    page.goto(f"{base}/dispatch/new")
    page.fill("#new-letter-subject", "小区路灯不亮")
    page.fill("#new-letter-body", "三号楼前路灯一周不亮。")
    page.locator("button.btn-primary", has_text="登记").click()
    registered = page.locator("main > .flash-success")
    registered.wait_for()
    assert "来信已登记" in registered.inner_text()
    form = page.locator('form[data-event="assign"]')
    form.locator('input.unit-filter[data-filter-for$="-unit_code"]').fill("紫阳")
    form.locator("button.btn-primary").click()
    page.locator("#case .flash-success").wait_for()
    assert "已派单" in page.locator("#case .flash-success").inner_text()
    assert page.locator("main > .flash").count() == 0  # the earlier banner is gone
