import io
import re
from urllib.parse import quote

import openpyxl
import pytest
from docx import Document

from casework import clock
from casework.permissions import SYSTEM_ACTOR
from casework.services import accounts, publication
from tests.factories import local
from tests.web.helpers import new_letter

XLSX_NAME = quote("2026年10月市长信箱来信办理情况.xlsx", safe="")


@pytest.fixture
def published(app, world):
    """October 2026: 紫阳县 1 of 1 closed, 公安局 1 open, 1 letter not yet dispatched; 生态环境局
    and a unit whose name looks like a formula had none."""
    with app.app_context():
        accounts.create_unit(SYSTEM_ACTOR, "hbj", "安康市生态环境局", "department")
        accounts.create_unit(SYSTEM_ACTOR, "evil", "=HYPERLINK(\"http://x\")单位", "department")
    with clock.travel(local(2026, 10, 12, 9)):
        new_letter(app, assign_to="zyx", steps=[("zyx_handler", "reply", {"body": "答复"}),
                                                  ("reviewer", "accept", {}), ("reviewer", "close", {})],
                   citizen_name="隐私张三", citizen_phone="13912345678")
        new_letter(app, assign_to="gaj")
        new_letter(app)
    with app.app_context(), clock.travel(local(2026, 11, 2, 9)):
        return publication.publish(SYSTEM_ACTOR, "2026-10").version


def test_public_page_without_login_shows_figures_charts_and_no_personal_data(client, published):
    page = client.get("/stats").get_data(as_text=True)
    assert "市长信箱留言受理情况统计" in page and "共受理来信3封，办结1封，办结率达33%" in page
    assert "100%<span class=\"muted\">（1/1）</span>" in page  # numerator and denominator next to the rate
    assert "0%<span class=\"muted\">（0/1）</span>" in page  # 退回率 too
    assert "未派单" not in page and "另有1封来信尚待派单" in page
    table = page[page.index('id="units"'):page.index("</table>", page.index('id="units"'))]
    assert "显示全部：另有 2 个单位本月没有受理来信" in page and "安康市生态环境局" not in table
    assert "隐私张三" not in page and "13912345678" not in page and "https://" not in page
    assert "安政办函〔2026〕1号" in page and "截至 2026-11-02 09:00" in page  # Beijing time
    assert client.get("/stats/2026-10").status_code == 200
    assert client.get("/stats/2026-09").status_code == 404


def figure(page: str, chart_id: str) -> str:
    return re.search(rf'<figure class="chart" aria-labelledby="chart-{chart_id}">(.*?)</figure>', page, re.S).group(1)


def test_charts_show_twelve_months_values_axes_and_readable_text(client, published):
    page = client.get("/stats").get_data(as_text=True)
    trend = figure(page, "trend")
    months = re.findall(r'<th scope="row">(\d{4}年\d{1,2}月)', trend)
    assert months[0] == "2025年11月" and months[-1] == "2026年10月" and len(months) == 12
    assert "受理 3" in trend and "办结 1" in trend  # the value printed on each bar
    assert "未公布" in trend  # months with nothing published are said to be so, not drawn as 0
    ticks = re.findall(r'text-anchor="(?:start|middle)" fill="#4b5563">(\d+)<', trend)
    assert ticks[0] == "0" and len(ticks) >= 3  # an axis with values
    sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', page)]
    assert sizes and min(sizes) >= 12  # SVG text is never scaled (no viewBox)
    assert "viewBox" not in trend
    problems = figure(page, "problems")
    assert "退回" in problems and "#2e7d32" not in problems and "green" not in problems  # a problem is never green
    assert "url(#chart-hatch" in page  # series differ by pattern too (black-and-white print)
    league = figure(page, "league")
    # 紫阳县 has 1 of 1: below STATS_MIN_CASES (10) it is not ranked, so gets no bar.
    assert "不作排名" in league and "紫阳县" not in league and "未派单" not in league


def test_the_league_ranks_units_with_enough_letters(app, client, world):
    app.config["STATS_MIN_CASES"] = 1
    with clock.travel(local(2026, 10, 12, 9)):
        new_letter(app, assign_to="zyx", steps=[("zyx_handler", "reply", {"body": "答复"}),
                                                  ("reviewer", "accept", {}), ("reviewer", "close", {})])
        new_letter(app, assign_to="gaj")
        new_letter(app)
    with app.app_context(), clock.travel(local(2026, 11, 2, 9)):
        publication.publish(SYSTEM_ACTOR, "2026-10")
    league = figure(client.get("/stats").get_data(as_text=True), "league")
    rows = re.findall(r'<th scope="row">([^<]+)<span class="chart-note">([^<]+)</span>', league)
    assert rows == [("紫阳县人民政府", "办结 1 / 受理 1"), ("安康市公安局", "办结 0 / 受理 1")]
    assert 'width="80.00%"' in league and "办结率 100%" in league and "办结率 0%" in league


def test_xlsx_for_people(client, published):
    response = client.get("/stats/2026-10/v1.xlsx")
    assert f"filename*=UTF-8''{XLSX_NAME}" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["各单位"]
    assert sheet["A1"].value == "2026年10月市长信箱来信办理情况"
    assert "第 1 版" in sheet["A2"].value and "发布于 2026-11-02 09:00" in sheet["A2"].value
    # Beijing dates, as the notice gives them: the month from its 1st, the cut-off when published.
    assert "统计期间：2026-10-01 至 2026-11-01（不含）" in sheet["A2"].value
    assert "截至 2026-11-02 09:00" in sheet["A2"].value
    header = [c.value for c in sheet[3]]
    assert header[:5] == ["序号", "单位", "受理", "办结", "办结率"] and "办结率（公布）" in header
    assert sheet.freeze_panes == "C4" and sheet.auto_filter.ref == f"A3:{sheet.cell(3, len(header)).column_letter}5"
    rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]}
    zyx = rows["紫阳县人民政府"]
    assert zyx[2:5] == (1, 1, 1.0) and sheet["E4"].number_format == "0%"  # a number, formatted as percent
    assert zyx[header.index("办结率（公布）")] == "100%"
    assert rows["合计"][2:5] == (2, 1, 0.5)
    assert "未派单" not in rows and "安康市生态环境局" not in rows  # no pseudo-unit, no all-zero row
    assert sheet.column_dimensions["B"].width >= 14
    everything = openpyxl.load_workbook(io.BytesIO(client.get("/stats/2026-10/v1.xlsx?all=1").data))["各单位"]
    names = [r[1] for r in everything.iter_rows(min_row=4, values_only=True)]
    assert "安康市生态环境局" in names
    evil = next(c for c in everything["B"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert evil.data_type == "s"  # text, never a formula


def test_csv_and_docx(client, published):
    csv = client.get("/stats/2026-10/v1.csv?all=1")
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = csv.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("序号,单位,受理,办结,办结率")
    assert ",紫阳县人民政府,1,1,100%," in text and "\n,合计,2,1,50%" in text and "未派单" not in text
    assert "'=HYPERLINK" in text  # neutralised
    docx = client.get("/stats/2026-10/v1.docx")
    assert quote("2026年10月市长信箱来信办理情况通报.docx", safe="") in docx.headers["Content-Disposition"]
    doc = Document(io.BytesIO(docx.data))
    assert doc.paragraphs[1].text == "安政办函〔2026〕1号"
    assert "安康市人民政府办公室关于2026年10月市长信箱来信办理情况的通报" in [p.text for p in doc.paragraphs]
    assert [r.cells[1].text for r in doc.tables[0].rows] == ["单位", "安康市公安局", "紫阳县人民政府", "合计"]
    assert client.get("/stats/2026-10/v9.xlsx").status_code == 404
    assert client.get("/stats/2026-10/v1.exe").status_code == 404


def test_json_api_is_public(client, published):
    body = client.get("/api/v1/stats/monthly?month=2026-10").get_json()
    assert body["period"] == "2026-10" and body["data"]["overall"]["closed_rate"] == "33%"
    assert client.get("/api/v1/stats/monthly").get_json()["period"] == "2026-10"
    assert client.get("/api/v1/stats/monthly?month=2026-13").status_code == 400
    assert client.get("/api/v1/stats/monthly?month=2025-01").status_code == 404


def test_office_publishes_and_corrects_from_the_page(app, world, browser, published):
    reviewer = browser("reviewer")
    page = reviewer.get("/stats").get_data(as_text=True)
    assert "发布统计" in page and 'value="安政办函〔2026〕2号"' in page  # the next number of the year
    again = reviewer.post("/stats/publish", {"month": "2026-10"})
    assert again.status_code == 303
    assert "已发布" in reviewer.get("/stats", follow_redirects=True).get_data(as_text=True)
    with clock.travel(local(2026, 11, 3, 9)):
        clash = reviewer.post("/stats/publish", {"month": "2026-10", "note": "补录", "number": "安政办函〔2026〕1号"})
        assert "已用于" in reviewer.get(clash.location).get_data(as_text=True)
        corrected = reviewer.post("/stats/publish", {"month": "2026-10", "note": "补录一封来信",
                                                     "number": "安政办函[2026]9号"})
    assert corrected.status_code == 303
    page = reviewer.get("/stats/2026-10").get_data(as_text=True)
    assert "第 2 版" in page and "补录一封来信" in page and "第 1 版" in page and "安政办函〔2026〕9号" in page
    assert browser("zyx_handler").post("/stats/publish", {"month": "2026-10"}).status_code == 403
    assert "发布统计" not in browser().get("/stats").get_data(as_text=True)


def test_tables_fit_a_phone_and_idle_units_wait_behind_show_all(app, world, client):
    import re

    from casework.services import accounts
    with app.app_context():
        accounts.create_unit(SYSTEM_ACTOR, "lgx", "岚皋县人民政府", "county", "岚皋县")
    with clock.travel(local(2026, 10, 12, 9)):
        new_letter(app, assign_to="zyx")
    with app.app_context(), clock.travel(local(2026, 11, 2, 9)):
        publication.publish(SYSTEM_ACTOR, "2026-10")
    page = client.get("/stats").get_data(as_text=True)
    start = page.index('class="table-scroll"')
    table = page[start:page.index("</table>", start)]
    assert "紫阳县人民政府" in table and "岚皋县人民政府" not in table and "安康市公安局" not in table
    idle = re.search(r'<details class="idle-units">.*?</details>', page, re.S).group(0)
    assert "显示全部：另有 2 个单位本月没有受理来信" in idle and "岚皋县人民政府" in idle and "安康市公安局" in idle
    assert 'role="region"' in page and 'tabindex="0"' in page  # a scrolling box keyboard users can reach
