"""The 2020 Q1 figures of 安政办函〔2020〕21号, end to end: 50 sites and 423 accounts checked,
4 sites and 14 accounts 不合格 → 检查率100%，政府网站合格率92%，政务新媒体合格率96%. The round
page, the published snapshot, /stats, the API, the xlsx and the 通报 all say the same."""

import io
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa
from docx import Document

from casework import clock
from casework.demo import _Seeder
from casework.demo.content import packaged
from casework.extensions import db
from casework.models import Finding, InspectionRound, NewMediaAccount, RoundMember, Unit, User
from casework.permissions import SYSTEM_ACTOR
from casework.queries import rounds
from casework.services import (
    accounts,
    inspections,
    registry,
    round_members,
    round_publication,
    tokens,
)
from tests.factories import PASSWORD, act, local
from workflows.errors import Conflict, Invalid

SITES = packaged("ankang_2020q1_websites.csv")
MEDIA = packaged("ankang_2020q1_new_media.csv")
NOTICE_LINE = "对全市50家政府网站和423个政务新媒体进行了检查、复查，检查率100%，政府网站合格率92%，政务新媒体合格率96%。"
# Sites the notice praises (checked, no problem), and more of the city's 50.
GOOD = [("汉阴县人民政府", "www.hanyin.gov.cn", "hanyin"), ("平利县人民政府", "www.pingli.gov.cn", "pingli"),
        ("岚皋县人民政府", "www.langao.gov.cn", "langao"), ("安康市自然资源局", "zrzyj.ankang.gov.cn", "zrzyj"),
        ("安康市信访局", "xfj.ankang.gov.cn", "xfj")] + \
       [(f"安康市教育局专题网站{i}", f"zt{i}.jyj.ankang.gov.cn", "jyj") for i in range(1, 15)]


@pytest.fixture
def sites(ctx):
    """Ankang's 50 websites of 2020 and the office."""
    _Seeder().units_and_sites()
    for name, address, unit in GOOD:
        registry.add_website(SYSTEM_ACTOR, name, address, "", unit)
    reviewer = accounts.create_user(SYSTEM_ACTOR, "reviewer", "reviewer", PASSWORD)
    handler = accounts.create_user(SYSTEM_ACTOR, "fgw_cbr", "unit_handler", PASSWORD, unit_code="fgw")
    accounts.create_user(SYSTEM_ACTOR, "zyx_cbr", "unit_handler", PASSWORD, unit_code="zyx")
    return reviewer, handler


@pytest.fixture
def city(sites):
    """…and 423 accounts, 409 of them kept up to date."""
    units = db.session.scalars(sa.select(Unit).order_by(Unit.id)).all()
    # Registry data, not the behaviour under test: added in one go.
    db.session.add_all([NewMediaAccount(platform="wechat" if i % 2 else "weibo", name=f"政务账号{i:03d}",
                                        unit=units[i % len(units)], last_update=date(2020, 2, 28))
                        for i in range(409)])
    db.session.commit()
    return sites


def checked_round(reviewer) -> InspectionRound:
    with clock.travel(local(2020, 3, 3, 10)):
        rnd, _ = inspections.commit(reviewer, SITES, "附件1.csv", "2020年一季度", date(2020, 3, 9), date(2020, 3, 3))
        listed = "网站名称,网址\n" + "".join(f"{name},{address}\n" for name, address, _ in GOOD)
        assert round_members.add_list(reviewer, rnd.id, listed.encode(), "checked.csv") == 19
        inspections.commit(reviewer, MEDIA, "附件2.csv", "2020年一季度", date(2020, 3, 9), date(2020, 3, 3))
        assert round_members.add_all_registered(reviewer, rnd.id) == 409  # the sites are all in already
    return rnd


def test_the_notice_figures_are_reproduced(city):
    rnd = checked_round(city[0])
    summary = rounds.summary(rnd)
    assert summary["line"] == NOTICE_LINE
    assert (summary["websites"]["checked"], summary["websites"]["failed"]) == (50, 4)
    assert (summary["accounts"]["checked"], summary["accounts"]["failed"]) == (423, 14)  # 单项否决
    sources = dict(db.session.execute(sa.select(RoundMember.source, sa.func.count()).where(
        RoundMember.round_id == rnd.id).group_by(RoundMember.source)).all())
    assert sources == {"table": 31 + 14, "list": 19, "all": 409}
    finding = db.session.scalar(sa.select(Finding).where(Finding.round_id == rnd.id).limit(1))
    with pytest.raises(Conflict):  # its findings say it was checked
        round_members.remove(city[0], rnd.id, finding.website_id, None)
    listed = next(m for m in rounds.members(rnd.id) if m.source == "list")
    round_members.remove(city[0], rnd.id, listed.website_id, None)
    assert rounds.summary(rnd)["websites"]["checked"] == 49


def test_only_the_31_imported_sites_give_87_percent(sites):
    with clock.travel(local(2020, 3, 3, 10)):
        rnd, _ = inspections.commit(sites[0], SITES, "附件1.csv", "2020年一季度", date(2020, 3, 9))
    assert rounds.summary(rnd)["line"] == "对全市31家政府网站进行了检查、复查，检查率62%，政府网站合格率87%。"


def test_a_reinspection_in_the_app_replaces_the_recorded_verdict(city):
    reviewer, handler = city
    rnd = checked_round(reviewer)
    by_unit = {v.unit.code: v for v in rounds.verdicts(rnd) if v.key[0]}
    fgw, zyx = by_unit["fgw"].findings[0].case, by_unit["zyx"].findings[0].case  # 存在问题 / 不合格
    with clock.travel(local(2020, 3, 6, 10)):
        act(handler, fgw, "reply", body="已修复 2 个错链接。")
    with clock.travel(local(2020, 3, 10, 10)):
        act(reviewer, fgw, "fail_reinspection", open_items=["领导信箱仍不规范"])
    assert rounds.summary(rnd)["websites"]["pass_rate"] == "90%"  # 45 of 50
    zyx_handler = db.session.scalar(sa.select(User).where(User.username == "zyx_cbr"))
    with clock.travel(local(2020, 3, 11, 10)):
        act(zyx_handler, zyx, "reply", body="5 个栏目已更新。")
        act(reviewer, zyx, "pass_reinspection")
    summary = rounds.summary(rnd)
    assert (summary["websites"]["failed"], summary["websites"]["pass_rate"]) == (4, "92%")
    verdicts = {v.unit.code: (v.verdict, v.recorded) for v in rounds.verdicts(rnd) if v.key[0]}
    assert verdicts["fgw"] == ("fail", "issues") and verdicts["zyx"] == ("pass", "fail")


def test_publication_freezes_what_stats_api_xlsx_and_notice_show(city, app):
    reviewer, handler = city
    rnd = checked_round(reviewer)
    with clock.travel(local(2020, 3, 4, 9)):
        published = round_publication.publish(reviewer, rnd.id, issued_on=date(2020, 3, 4), number="安政办函〔2020〕21号")
    fgw = next(v for v in rounds.verdicts(rnd) if v.unit.code == "fgw").findings[0].case
    with clock.travel(local(2020, 3, 6, 10)):
        act(handler, fgw, "reply", body="已整改。")
        act(reviewer, fgw, "fail_reinspection", open_items=["未整改到位"])
    assert rounds.summary(rnd)["websites"]["pass_rate"] == "90%"  # the round moves on…
    client = app.test_client()
    page = client.get("/stats").get_data(as_text=True)
    assert NOTICE_LINE in page and "安政办函〔2020〕21号" in page  # …what was issued does not
    api = client.get("/api/v1/stats/inspections").get_json()
    assert api["data"]["summary"]["line"] == NOTICE_LINE and api["number"] == "安政办函〔2020〕21号"
    token = tokens.issue(SYSTEM_ACTOR, "reviewer")
    live = client.get(f"/api/v1/inspections/rounds/{rnd.id}", headers={"Authorization": f"Bearer {token}"})
    assert live.get_json()["data"]["summary"]["websites"]["pass_rate"] == "90%" and live.get_json()["versions"] == [1]
    unit_token = tokens.issue(SYSTEM_ACTOR, "fgw_cbr")
    assert client.get(f"/api/v1/inspections/rounds/{rnd.id}",
                      headers={"Authorization": f"Bearer {unit_token}"}).status_code == 403

    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/stats/inspections/{rnd.id}/v1.xlsx").data))
    sheet = book["附件1 政府网站"]
    assert sheet["A1"].value == "附件1 2020年一季度政府网站复查结果" and sheet["A3"].value == "序号"
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    assert len(rows) == 31 and sum(r[5] == "不合格" for r in rows) == 4
    # The source text as imported: full-width comma, "5 个" with its space, the 11-digit code.
    assert rows[0][4] == "5 个栏目更新不及时；1 个空栏目；网站地图与其他栏目架构体系不一致；部分关注度高的政策文件未解读，解读材料与原文未关联"
    assert rows[23][3] == "61090000112"
    assert len([r for r in book["附件2 政务新媒体"].iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]) == 14

    notice = Document(io.BytesIO(client.get(f"/stats/inspections/{rnd.id}/v1.docx").data))
    text = "\n".join(p.text for p in notice.paragraphs)
    assert NOTICE_LINE in text and "安政办函〔2020〕21号" in text and "2020年3月4日" in text
    assert "紫阳县人民政府、白河县人民政府、安康市地方志办公室、安康市公安局打拐办4家网站复查不合格" in text
    assert "等14个政务微信、微博超过1个月未更新" in text and "其中“汉阴农林科技”已停运但未按程序注销" in text
    table = notice.tables[0]
    assert table.rows[1].cells[4].text.startswith("5 个栏目更新不及时；1 个空栏目") and "解读，解读材料" in table.rows[1].cells[4].text
    assert [c.text for c in table.rows[-1].cells][-1] == "不合格4家"

    with pytest.raises(Conflict):
        round_publication.publish(reviewer, rnd.id)  # a second version needs a correction note
    second = round_publication.publish(reviewer, rnd.id, note="复查后更正", issued_on=date(2020, 3, 12))
    assert second.version == 2 and second.data["summary"]["websites"]["pass_rate"] == "90%"
    assert published.data["summary"]["line"] == NOTICE_LINE


def test_a_table_with_no_data_rows_is_refused(sites):
    for content in ("序号,网站名称,网址,网站标识码,主要问题,复查结果\n".encode(), "序号,网站名称,网址\n,,\n".encode()):
        with pytest.raises(Invalid) as err:
            inspections.commit(sites[0], content, "empty.csv", "R", date(2020, 3, 9))
        assert "没有数据行" in err.value.fields["file"]
    assert db.session.scalar(sa.select(sa.func.count(InspectionRound.id))) == 0
    rnd = inspections.create_round(sites[0], "R", date(2020, 3, 9))
    with pytest.raises(Invalid):
        round_members.add_list(sites[0], rnd.id, "网站名称,网址\n".encode(), "empty.csv")
    assert rounds.summary(rnd)["line"] == "本轮尚未登记检查对象。"  # not "100%"
    with pytest.raises(Invalid):
        round_publication.publish(sites[0], rnd.id)


def test_a_list_that_does_not_match_the_registry_adds_nothing(sites):
    rnd = inspections.create_round(sites[0], "R", date(2020, 3, 9))
    listed = "网站名称,网址\n汉阴县人民政府,www.hanyin.gov.cn\n不存在的网站,www.nowhere.gov.cn\n".encode()
    with pytest.raises(Invalid) as err:
        round_members.add_list(sites[0], rnd.id, listed, "list.csv")
    assert "第 3 行" in err.value.fields["file"] and rounds.members(rnd.id) == []
