"""The office keeps the 派单目录 in the browser; the 12345 centre works its 回访 queue."""

import pytest

from tests.e2e.conftest import shoot
from tests.e2e.test_letter_flow import login
from tests.factories import act, letter
from tests.web.helpers import user

pytestmark = pytest.mark.e2e


def test_the_office_adds_and_edits_a_catalogue_matter(live_app, page_factory):
    base = live_app.config["LIVE_URL"]
    admin = page_factory()
    login(admin, base, "admin")
    admin.goto(f"{base}/catalogue")
    admin.click("text=新增事项")
    admin.fill("#cat-name", "治安噪音扰民")
    admin.fill("#cat-keywords", "噪音、扰民")
    admin.locator("input.unit-filter").fill("公安")
    assert admin.locator("#cat-unit_code").input_value() == "gaj"
    admin.select_option("#cat-basis_kind", "sanding")
    admin.fill("#cat-basis", "《安康市公安局职能配置、内设机构和人员编制规定》")
    admin.check("input[name=city_level]")
    admin.click("button:has-text('保存')")
    admin.wait_for_load_state()
    row = admin.locator("table.catalogue tbody tr").first
    assert "治安噪音扰民" in row.inner_text() and "不得下派基层" in row.inner_text()

    row.locator("a").click()
    admin.fill("#cat-keywords", "噪音、扰民、广场舞")
    admin.click("button:has-text('保存')")
    admin.wait_for_load_state()
    assert "广场舞" in admin.locator("table.catalogue").inner_text()
    shoot(admin, "catalogue")
    admin.goto(f"{base}/catalogue/history")
    assert "修改事项「治安噪音扰民」" in admin.inner_text("main")


def test_the_centre_records_a_callback_from_its_queue(live_app, page_factory):
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        c = letter(user("dispatcher"), subject="小区门口路灯不亮")
        act(user("dispatcher"), c, "assign", unit_code="zyx")
        act(user("zyx_handler"), c, "reply", body="路灯已修复。")
        act(user("reviewer"), c, "accept")
        act(user("reviewer"), c, "close")
        number = c.number
    centre = page_factory()
    login(centre, base, "dispatcher")
    centre.click("nav >> text=回访")
    item = centre.locator(f"#item-{number}")
    assert "回访期限" in item.inner_text()
    shoot(centre, "callback_queue")
    form = item.locator('form[data-event="call_back"]')
    form.locator("select[name=reached]").select_option("reached")
    form.locator("select[name=resolved]").select_option("unresolved")
    form.locator("select[name=satisfaction]").select_option("unsatisfied")
    form.locator("textarea[name=comment]").fill("路灯仍然时亮时不亮")
    form.locator("button.btn-primary").click()
    centre.locator(f"#item-{number}.done").wait_for()
    assert "回访结果已记录" in centre.locator(f"#item-{number}").inner_text()

    office = page_factory()
    login(office, base, "reviewer")
    office.goto(f"{base}/callbacks?tab=decide")
    decided = office.locator(f"#item-{number}")
    assert "未解决" in decided.inner_text()
    decided.locator('form[data-event="reopen"] summary').click()
    decided.locator('form[data-event="reopen"] textarea[name=reason]').fill("回访反映路灯仍不稳定")
    decided.locator('form[data-event="reopen"] button.btn-danger').click()
    office.locator(f"#item-{number}.done").wait_for()
    assert "已发回承办单位重办" in office.locator(f"#item-{number}").inner_text()
