"""Issue 17 (part A): a finding is re-inspected (复查合格 / 复查不合格), its verdict follows at
once, and its page says which site, which round and what happened in earlier rounds."""

from datetime import date

import sqlalchemy as sa

from casework import clock
from casework.extensions import db
from casework.models import Case, CaseEvent, Finding
from casework.queries import rounds
from casework.services import inspections, registry
from tests.factories import local
from tests.web.helpers import case_row, user

HEADER = "序号,网站名称,网址,网站标识码,主要问题,复查结果\n"


def _round(name: str, problems: str, deadline: date) -> str:
    content = (HEADER + f"1,紫阳县人民政府,www.zyx.gov.cn,6109240032,{problems},\n").encode()
    rnd, _ = inspections.commit(user("reviewer"), content, "r.csv", name, deadline, deadline)
    return db.session.scalar(sa.select(Case.number).join(Finding, Finding.case_id == Case.id)
                             .where(Finding.round_id == rnd.id))


def two_rounds(app) -> tuple[str, str]:
    with app.app_context():
        registry.add_website(user("reviewer"), "紫阳县人民政府", "www.zyx.gov.cn", "6109240032", "zyx")
        with clock.travel(local(2020, 3, 3, 10)):
            first = _round("2020 年一季度检查", "5 个栏目更新不及时；1 个空栏目", date(2020, 3, 9))
        second = _round("2020 年二季度检查", "1 个错链接；1 个空栏目", date(2030, 6, 9))
        return first, second


def test_reinspection_speaks_of_findings_and_the_verdict_follows_at_once(app, world, browser):
    _, number = two_rounds(app)
    handler, reviewer = browser("zyx_handler"), browser("reviewer")
    handler.post(f"/cases/{number}/events/reply", {"body": "错链接已修复，空栏目已补充内容。"})
    queue = reviewer.get("/review").get_data(as_text=True)
    assert "复查合格" in queue and "复查不合格" in queue
    assert "答非所问" not in queue and "审核通过</button>" not in queue
    assert 'value="1个错链接"' in queue and 'value="1个空栏目"' in queue  # its own items to tick

    refused = reviewer.post(f"/cases/{number}/events/accept", {})
    assert refused.status_code == 409  # a letter's review does not apply to a finding

    failed = reviewer.post(f"/cases/{number}/events/fail_reinspection",
                           {"open_items": ["1个空栏目", "首页图片失效\n"]}, htmx=True)
    assert failed.status_code == 200 and "复查不合格，已发回整改" in failed.get_data(as_text=True)
    with app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.number == number))
        assert case.state == "returned" and rounds.finding_verdict(case.finding) == "fail"
        entry = db.session.scalar(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                             CaseEvent.event == "fail_reinspection"))
        assert entry.data["open_items"] == ["1个空栏目", "首页图片失效"]
    page = reviewer.get(f"/cases/{number}").get_data(as_text=True)
    assert "仍存在的问题：1个空栏目；首页图片失效" in page and "复查不合格" in page

    handler.post(f"/cases/{number}/events/reply", {"body": "空栏目和首页图片均已处理。"})
    passed = reviewer.post(f"/cases/{number}/events/pass_reinspection", {}, follow_redirects=True)
    assert f"{number} 复查合格，整改已办结" in passed.get_data(as_text=True)
    row = case_row(app, number)
    assert (row.state, row.close_reason) == ("closed", "accepted")  # no separate 办结
    with app.app_context():
        assert rounds.finding_verdict(db.session.get(Case, row.id).finding) == "pass"


def test_nothing_ticked_nor_written_is_refused_with_the_form_kept(app, world, browser):
    _, number = two_rounds(app)
    browser("zyx_handler").post(f"/cases/{number}/events/reply", {"body": "已整改。"})
    response = browser("reviewer").post(f"/cases/{number}/events/fail_reinspection",
                                        {"open_items": ["", " "], "comment": "请逐项说明"}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "请选择或填写仍存在的问题" in body and "请逐项说明" in body
    assert case_row(app, number).state == "replied"


def test_the_finding_page_shows_site_round_and_history(app, world, browser):
    first, second = two_rounds(app)
    page = browser("zyx_handler").get(f"/cases/{second}").get_data(as_text=True)
    for text in ("紫阳县人民政府", "www.zyx.gov.cn", "6109240032", "2020 年二季度检查", "历次检查",
                 "2020 年一季度检查", "5个栏目更新不及时；1个空栏目", first, "1个错链接"):
        assert text in page, text
    assert page.index("2020 年一季度检查") < page.index("本件")  # earlier rounds first
