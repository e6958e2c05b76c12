"""Printing (办理单, 督办单) and xlsx exports of an inbox tab and the 督办 lists."""

import io

import sqlalchemy as sa
from openpyxl import load_workbook

from casework import clock
from casework.extensions import db
from casework.models import Case
from casework.services import watch
from tests.factories import local
from tests.web.helpers import new_letter


def rows_of(response) -> list[list]:
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = load_workbook(io.BytesIO(response.get_data())).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_handling_sheet_has_letter_record_reply_and_review(app, world, browser):
    number = new_letter(app, assign_to="zyx", subject="城关镇自来水频繁停水", steps=[
        ("zyx_handler", "reply", {"body": "已转交"}),
        ("reviewer", "return_reply", {"reason": "buck_passing", "comment": "请写明处理结果"}),
        ("zyx_handler", "reply", {"body": "经核实，管网老化所致，已于本周更换管道，恢复正常供水。"})])
    page = browser("reviewer").get(f"/cases/{number}/sheet").get_data(as_text=True)
    for text in ("信件办理单", number, "城关镇自来水频繁停水", "王先生", "紫阳县人民政府", "办理过程",
                 "答复意见", "（第 2 次）", "发回重办（推诿敷衍）：请写明处理结果", "待审核", "办结情况"):
        assert text in page, text
    assert 'class="nav' not in page and "data-print" in page
    # A unit prints only its own cases; others get the same 404 as for the case page.
    assert browser("gaj_handler").get(f"/cases/{number}/sheet").status_code == 404
    assert browser("zyx_handler").get(f"/cases/{number}/sheet").status_code == 200


def test_supervision_sheet_only_for_escalated_cases(app, world, browser):
    with clock.travel(local(2026, 11, 2, 9)):
        number = new_letter(app, assign_to="zyx", subject="长期未处理的来信")
    b = browser("reviewer")
    assert b.get(f"/cases/{number}/supervision-sheet").status_code == 404
    with app.app_context():
        watch.mark_overdue(clock.now())
        watch.escalate(clock.now())
        assert db.session.scalar(sa.select(Case.escalated_at).where(Case.number == number)) is not None
    page = b.get(f"/cases/{number}/supervision-sheet").get_data(as_text=True)
    for text in ("督　办　单", number, "紫阳县人民政府", "列入督办", "督办意见", "反馈意见", "个工作日"):
        assert text in page, text
    assert "打印督办单" in b.get(f"/cases/{number}").get_data(as_text=True)


def test_inbox_export_follows_the_tab_and_filters(app, world, browser):
    formula = new_letter(app, assign_to="zyx", subject="=HYPERLINK(\"http://x\",\"点我\")")
    other = new_letter(app, assign_to="zyx", subject="普通来信")
    new_letter(app, assign_to="gaj", subject="公安局的来信")
    b = browser("zyx_handler")
    assert "导出 Excel" in b.get("/inbox").get_data(as_text=True)
    rows = rows_of(b.get("/inbox/export.xlsx?tab=todo"))
    assert rows[0][0] == "紫阳县人民政府 · 待办" and rows[2][0] == "编号"
    numbers = {r[0] for r in rows[3:]}
    assert numbers == {formula, other}
    # Text stays text: the subject is not a formula in the file.
    response = b.get("/inbox/export.xlsx")
    ws = load_workbook(io.BytesIO(response.get_data())).active
    cell = next(c for row in ws.iter_rows(min_row=4) for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    assert {r[0] for r in rows_of(b.get("/inbox/export.xlsx?q=普通"))[3:]} == {other}
    assert rows_of(b.get("/inbox/export.xlsx?tab=closed"))[3:] == []
    assert browser("dispatcher").get("/inbox/export.xlsx").status_code == 403


def test_supervision_export(app, world, browser):
    with clock.travel(local(2026, 11, 2, 9)):
        late = new_letter(app, assign_to="zyx", subject="早已超期")
        gaj_late = new_letter(app, assign_to="gaj", subject="公安局超期")
    new_letter(app, assign_to="zyx", subject="未超期")
    with app.app_context():
        watch.mark_overdue(clock.now())
        watch.escalate(clock.now())
    b = browser("admin")
    assert "导出 Excel（完整清单）" in b.get("/overview").get_data(as_text=True)
    rows = rows_of(b.get("/overview/export.xlsx?list=supervised"))
    assert {r[0] for r in rows[3:]} == {late, gaj_late} and rows[2][-1] == "列入督办时间"
    assert {r[0] for r in rows_of(b.get("/overview/export.xlsx?list=overdue&unit=zyx"))[3:]} == {late}
    assert b.get("/overview/export.xlsx?list=nonsense").status_code == 400
    assert b.get("/overview/export.xlsx?unit=nosuchunit").status_code == 400
    assert browser("zyx_handler").get("/overview/export.xlsx").status_code == 403
