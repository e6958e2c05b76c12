import io

import openpyxl
import pytest
from docx import Document

from casework import clock
from casework.permissions import SYSTEM_ACTOR
from casework.services import publication
from tests.factories import local
from tests.web.helpers import new_letter


@pytest.fixture
def published(app, world):
    with clock.travel(local(2026, 10, 12, 9)):
        new_letter(app, assign_to="zyx", steps=[("zyx_handler", "reply", {"body": "答复"}),
                                                  ("reviewer", "accept", {}), ("reviewer", "close", {})],
                   citizen_name="隐私张三", citizen_phone="13912345678")
        new_letter(app, assign_to="gaj")
    with app.app_context(), clock.travel(local(2026, 11, 2, 9)):
        return publication.publish(SYSTEM_ACTOR, "2026-10").version


def test_public_page_without_login_shows_figures_charts_and_no_personal_data(client, published):
    page = client.get("/stats").get_data(as_text=True)
    assert "市长信箱留言受理情况统计" in page and "共受理来信 2 封，办结 1 封，办结率达 50%" in page
    assert "50%（1/2）" in page  # numerator and denominator next to the rate
    assert "<svg" in page and "https://" not in page
    assert "隐私张三" not in page and "13912345678" not in page
    assert client.get("/stats/2026-10").status_code == 200
    assert client.get("/stats/2026-09").status_code == 404


def test_downloads(client, published):
    xlsx = client.get("/stats/2026-10/v1.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data))["各单位"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["单位", "受理", "办结", "办结率"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["紫阳县人民政府"][1:4] == (1, 1, "100%")
    csv = client.get("/stats/2026-10/v1.csv").data.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("单位,受理,办结,办结率")
    docx = Document(io.BytesIO(client.get("/stats/2026-10/v1.docx").data))
    assert "2026年10月市长信箱来信办理情况通报" in docx.paragraphs[0].text
    assert docx.tables[0].rows[0].cells[0].text == "单位"
    assert client.get("/stats/2026-10/v9.xlsx").status_code == 404
    assert client.get("/stats/2026-10/v1.exe").status_code == 404


def test_json_api_is_public(client, published):
    body = client.get("/api/v1/stats/monthly?month=2026-10").get_json()
    assert body["period"] == "2026-10" and body["data"]["overall"]["closed_rate"] == "50%"
    assert client.get("/api/v1/stats/monthly").get_json()["period"] == "2026-10"
    assert client.get("/api/v1/stats/monthly?month=2026-13").status_code == 400
    assert client.get("/api/v1/stats/monthly?month=2025-01").status_code == 404


def test_office_publishes_and_corrects_from_the_page(app, world, browser, published):
    reviewer = browser("reviewer")
    assert "发布统计" in reviewer.get("/stats").get_data(as_text=True)
    again = reviewer.post("/stats/publish", {"month": "2026-10"})
    assert again.status_code == 303
    assert "已发布" in reviewer.get("/stats", follow_redirects=True).get_data(as_text=True)
    with clock.travel(local(2026, 11, 3, 9)):
        corrected = reviewer.post("/stats/publish", {"month": "2026-10", "note": "补录一封来信"})
    assert corrected.status_code == 303
    page = reviewer.get("/stats/2026-10").get_data(as_text=True)
    assert "第 2 版" in page and "补录一封来信" in page and "第 1 版" in page
    assert browser("zyx_handler").post("/stats/publish", {"month": "2026-10"}).status_code == 403
    assert "发布统计" not in browser().get("/stats").get_data(as_text=True)


def test_inspection_figures_on_the_public_page(app, client, published):
    from datetime import date

    from casework.services import inspections

    table = ("序号,网站名称,网址,网站标识码,主要问题,复查结果\n"
             "1,紫阳县人民政府,www.zyx.gov.cn,6109240032,5 个栏目更新不及时,不合格\n"
             "2,安康市公安局,gaj.ankang.gov.cn,6109000008,2 个错链接,存在问题\n").encode()
    with app.app_context():
        inspections.commit(SYSTEM_ACTOR, table, "t.csv", "2020 年一季度检查", date(2020, 3, 9))
    page = client.get("/stats").get_data(as_text=True)
    assert "网站与政务新媒体检查（2020 年一季度检查）" in page and "检查率" in page and "合格率" in page


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
    table = page[page.index('class="table-scroll"'):page.index("</table>")]
    assert "紫阳县人民政府" in table and "岚皋县人民政府" not in table and "安康市公安局" not in table
    idle = re.search(r'<details class="idle-units">.*?</details>', page, re.S).group(0)
    assert "显示全部：另有 2 个单位本月没有受理来信" in idle and "岚皋县人民政府" in idle and "安康市公安局" in idle
    assert 'role="region"' in page and 'tabindex="0"' in page  # a scrolling box keyboard users can reach
