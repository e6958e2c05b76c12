"""主办/协办, a 退单 the dispatcher refuses, and the notices of each hand-off, clicked
through in a real browser."""

import pytest

from casework.jobs.worker import CaseworkSimpleWorker, make_worker
from casework.permissions import SYSTEM_ACTOR
from casework.services import accounts
from tests.e2e.conftest import shoot
from tests.e2e.test_letter_flow import login, queued_letter
from tests.factories import letter
from tests.web.helpers import user

pytestmark = pytest.mark.e2e


def run_jobs(app) -> None:
    """What the worker does after each commit (the notices); the live server shares this
    process's embedded Redis."""
    make_worker(app, CaseworkSimpleWorker).work(burst=True)


def test_lead_co_unit_dispute_and_notices(live_app, page_factory):
    base = live_app.config["LIVE_URL"]
    # The 12345 centre assigns the letter to 紫阳县 (主办) with 公安局 as co-unit (协办).
    number, dispatcher, item = queued_letter(live_app, page_factory, "河堤垃圾堆放无人清理")
    item.locator("details.co-picker summary").click()
    item.locator("select[name=co_unit_codes]").select_option(["gaj"])
    item.locator('form[data-event="assign"] button.btn-primary').click()
    dispatcher.locator(f"#item-{number}.done").wait_for()
    run_jobs(live_app)

    # The co-unit is told, finds the letter under 协办 and gives its input.
    co = page_factory()
    login(co, base, "gaj_handler")
    co.goto(f"{base}/notifications")
    assert "【协办】" in co.locator("ul.notifications").inner_text()
    co.goto(f"{base}/inbox?tab=co")
    assert number in co.locator("#inbox-list").inner_text()
    co.click(f"text={number}")
    assert co.locator('form[data-event="reply"]').count() == 0
    co.fill(f"#form-{number}-co_opinion-opinion", "公安局已安排辖区派出所加强巡查。")
    co.locator(f'#form-{number}-co_opinion button.btn-primary').click()
    co.locator("#case .flash").get_by_text("协办意见已提交").wait_for()

    # The lead sees the input, disagrees with the assignment and sends it back (退单).
    lead = page_factory()
    login(lead, base, "zyx_handler")
    lead.goto(f"{base}/notifications")
    assert "【新派单】" in lead.locator("ul.notifications").inner_text()
    lead.goto(f"{base}/cases/{number}")
    assert "公安局已安排辖区派出所加强巡查" in lead.locator("section.co-units").inner_text()
    due = lead.locator(".case-head .deadline strong").inner_text()
    lead.locator(f"#form-{number}-reject_assignment summary").click()
    lead.fill(f"#form-{number}-reject_assignment-reason", "河堤属水利局管理")
    lead.locator(f'#form-{number}-reject_assignment button.btn-danger').click()
    lead.locator("#case .flash").get_by_text("等待派单员审核").wait_for()
    run_jobs(live_app)

    # The dispatcher reviews it under 退单审核 and refuses with a reason.
    dispatcher.goto(f"{base}/dispatch?tab=rejected")
    item = dispatcher.locator(f"#item-{number}")
    assert "河堤属水利局管理" in item.inner_text()
    shoot(dispatcher, "dispute_review")
    item.locator('form[data-event="refuse_rejection"] summary').click()
    item.locator('form[data-event="refuse_rejection"] textarea[name=reason]').fill("沿河环境卫生属县政府职责")
    item.locator('form[data-event="refuse_rejection"] button').click()
    dispatcher.locator(f"#item-{number}.done").wait_for()
    run_jobs(live_app)

    # Back with the same unit, same deadline; the lead replies for all.
    lead.goto(f"{base}/cases/{number}")
    assert lead.locator(".case-head .deadline strong").inner_text() == due
    timeline = lead.locator(".timeline").inner_text()
    for label in ("派单", "协办单位：安康市公安局", "提交协办意见", "退单", "驳回退单", "沿河环境卫生属县政府职责"):
        assert label in timeline, label
    shoot(lead, "co_handled_case")
    lead.fill(f"#form-{number}-reply-body", "经会同公安局处理，河堤垃圾已清理完毕。")
    lead.locator(f'#form-{number}-reply button.btn-primary').click()
    lead.locator("#case .flash").get_by_text("答复已提交").wait_for()
    lead.goto(f"{base}/notifications")
    assert "【退单被驳回】" in lead.locator("ul.notifications").inner_text()

    # Each user chooses which notices also come by e-mail.
    lead.goto(f"{base}/account/notices")
    lead.locator("input[value=assigned]").uncheck()
    lead.locator("form button.btn-primary").click()
    lead.get_by_text("通知设置已保存").wait_for()
    assert not lead.locator("input[value=assigned]").is_checked()
    shoot(lead, "notice_preferences")


def test_an_unrelated_unit_gets_404(live_app, page_factory):
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        accounts.create_unit(SYSTEM_ACTOR, "hbj", "安康市生态环境局", "department", "环境局")
        accounts.create_user(SYSTEM_ACTOR, "hbj_handler", "unit_handler", "secret-pass-1", unit_code="hbj")
        from casework.services import case_actions
        number = letter(user("dispatcher")).number
        case_actions.perform(user("dispatcher"), number, "assign", {"unit_code": "zyx", "co_unit_codes": ["gaj"]})
    page = page_factory()
    login(page, base, "hbj_handler")
    response = page.goto(f"{base}/cases/{number}")
    assert response.status == 404
