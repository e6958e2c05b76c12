"""Inspection rounds: the real 2020 Q1 table, messy and broken files, new media, and a
full rectification cycle."""

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from casework import clock
from casework.demo import _Seeder
from casework.extensions import db
from casework.models import Case, Finding, NewMediaAccount, Website
from casework.permissions import SYSTEM_ACTOR
from casework.queries import rounds
from casework.services import accounts, inspections
from tests.factories import PASSWORD, act, local
from workflows.errors import Invalid

TABLE = Path("casework/data/ankang_2020q1_websites.csv").read_bytes()
MEDIA = """附件 2
类别\t主办单位\t政务微信\t政务微博\t最后更新时间\t问题类别
市直部门\t市住房公积金中心\t安康住房公积金\t\t2020. 2. 9\t僵尸微信
\t\t\t安康公积金\t2020. 2. 18\t僵尸微博
石泉县\t石泉县统计局\t\t石泉统计\t2020. 1. 13\t僵尸微博
岚皋县\t岚皋县公安局交通警察大队\t\t岚皋交警\t无内容\t僵尸微博
""".encode()


@pytest.fixture
def registry(ctx):
    """Ankang's units and websites, as the registry holds them (no cases)."""
    _Seeder().units_and_sites()  # includes the units of the new-media table
    reviewer = accounts.create_user(SYSTEM_ACTOR, "reviewer", "reviewer", PASSWORD)
    handler = accounts.create_user(SYSTEM_ACTOR, "zyx_cbr", "unit_handler", PASSWORD, unit_code="zyx")
    return reviewer, handler


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_real_2020_q1_table(registry):
    rows = inspections.preview(TABLE, "inspection_2020q1_websites.csv")
    assert len(rows) == 31 and not any(r.row.errors for r in rows)
    assert all(r.site is not None for r in rows)  # matched to 31 registered sites
    row24 = next(r for r in rows if r.row.site_name == "安康市市场监督管理局")
    assert row24.row.line == 25 and "61090000112" in row24.row.warnings[0]
    with clock.travel(local(2020, 3, 3, 10)):
        rnd, n = inspections.commit(registry[0], TABLE, "table.csv", "2020 年一季度检查", date(2020, 3, 9),
                                    date(2020, 3, 3))
    assert n == 31 and count(Finding) == 31 and count(Website) == 31
    verdicts = [f.source_verdict for f in db.session.scalars(sa.select(Finding).order_by(Finding.id))]
    assert verdicts.count("fail") == 4 and verdicts.count("issues") == 27  # as in the notice
    first = db.session.scalar(sa.select(Finding).order_by(Finding.id))
    assert first.items[0] == "5个栏目更新不及时" and first.category == "stale_columns"
    assert (first.case.unit.code, first.case.due_date, first.case.state) == ("zyx", date(2020, 3, 9), "assigned")


@pytest.mark.parametrize("mutate, problem", [
    (lambda t: t.replace("紫阳县人民政府,www.zyx.gov.cn,6109240032", "不存在的单位,www.nowhere.gov.cn,6100000000"),
     "找不到网站"),
    (lambda t: t.replace(",主要问题,", ",问题,"), "缺少必需的列：主要问题"),
])
def test_bad_tables_write_nothing(registry, mutate, problem):
    text = mutate(TABLE.decode())
    with pytest.raises(Invalid) as err:
        inspections.commit(registry[0], text.encode(), "t.csv", "R", date(2020, 3, 9))
    assert problem in err.value.fields["file"]
    assert count(Finding) == 0 and count(Case) == 0


def test_not_a_spreadsheet(registry):
    for content, name in ((b"\x89PNG\r\n\x1a\n binary", "photo.xlsx"), (b"hello", "notes.doc"),
                          ("完全无关的文字\n第二行".encode(), "x.csv")):
        with pytest.raises(Invalid):
            inspections.preview(content, name)


def test_a_messy_excel_export(registry, tmp_path):
    """Title row above the header, merged cells (blanks), full-width punctuation, stray spaces."""
    frame = pd.DataFrame([
        ["附件1  2020 年安康市政府网站一季度复查结果", None, None, None, None, None],
        ["序号", "网站名称 ", "网 址", "网站标识码", "主要问题", "复查结果"],
        [1, " 紫阳县人民政府", "http://www.zyx.gov.cn/", "６１０９２４００３２", "５ 个栏目更新不及时；1 个空栏目", "不合格"],
        [None, None, None, None, "网站地图不一致", "不合格"],
        [2, "安康市公安局", "GAJ.ankang.gov.cn", "6109000008", "2 个错链接;领导信息不全", "存在 问题"],
    ])
    path = tmp_path / "messy.xlsx"
    frame.to_excel(path, header=False, index=False)
    rows = inspections.preview(path.read_bytes(), "messy.xlsx")
    assert [r.row.errors for r in rows] == [[], [], []]
    assert [r.site.address for r in rows] == ["www.zyx.gov.cn", "www.zyx.gov.cn", "gaj.ankang.gov.cn"]
    assert rows[0].row.items == ["5个栏目更新不及时", "1个空栏目"] and rows[0].row.site_code == "6109240032"
    assert rows[2].row.verdict == "issues" and rows[2].row.category == "broken_links"


def test_new_media_table(registry):
    rows = inspections.preview(MEDIA, "media.txt")
    assert [(r.row.platform, r.row.account_name, r.unit.code) for r in rows] == [
        ("wechat", "安康住房公积金", "gjjzx"), ("weibo", "安康公积金", "gjjzx"),
        ("weibo", "石泉统计", "sqtj"), ("weibo", "岚皋交警", "lgjj")]
    assert rows[0].row.last_update == date(2020, 2, 9) and rows[0].row.category == "zombie_account"
    assert "无内容" in rows[3].row.warnings[0] and rows[3].row.last_update is None
    inspections.commit(registry[0], MEDIA, "media.txt", "2020 年一季度新媒体", date(2020, 3, 9))
    assert count(NewMediaAccount) == 4 and count(Finding) == 4


def test_full_rectification_cycle_with_a_failed_reinspection(registry):
    reviewer, handler = registry
    with clock.travel(local(2020, 3, 3, 10)):
        rnd, _ = inspections.commit(reviewer, TABLE, "t.csv", "2020 年一季度检查", date(2020, 3, 9))
    def zyx_now():
        return next(v for v in rounds.verdicts(rnd) if v.unit.code == "zyx")

    zyx = zyx_now()
    case = zyx.findings[0].case
    assert (zyx.verdict, zyx.basis) == ("fail", "导入的复查结果")  # the table's 复查结果: 不合格
    with clock.travel(local(2020, 3, 6, 10)):
        act(handler, case, "reply", body="已更新 5 个栏目，删除空栏目，修正网站地图。")
    assert zyx_now().verdict == "fail"  # a report is not a re-inspection
    with clock.travel(local(2020, 3, 10, 10)):
        act(reviewer, case, "fail_reinspection", open_items=["仍有 2 个栏目未更新"])
    assert (zyx_now().verdict, zyx_now().basis) == ("fail", "系统内复查")
    assert db.session.get(Case, case.id).due_date == date(2020, 3, 17)  # re-rectification: 5 working days
    with clock.travel(local(2020, 3, 16, 10)):
        act(handler, case, "reply", body="剩余栏目已更新。")
    with clock.travel(local(2020, 3, 17, 10)):
        act(reviewer, case, "pass_reinspection")
    assert zyx_now().verdict == "pass"  # the re-inspection in the app replaces the recorded 不合格
    inspections.override(reviewer, rnd.id, zyx.key[0], None, "issues", "网站地图仍待优化")
    v = zyx_now()
    assert (v.verdict, v.derived, v.override.reason, v.basis) == ("issues", "pass", "网站地图仍待优化", "改判")
    with pytest.raises(Invalid):
        inspections.override(reviewer, rnd.id, zyx.key[0], None, "pass", "")


def test_cli_dry_run_json_writes_nothing(app, tmp_path):
    with app.app_context():
        _Seeder().units_and_sites()
    path = tmp_path / "t.csv"
    path.write_bytes(TABLE)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["findings", "import", str(path), "--round", "R", "--deadline", "2020-03-09",
                                 "--dry-run", "--json"])
    rows = json.loads(result.output)
    assert len(rows) == 31 and rows[23]["line"] == 25 and rows[23]["warnings"]
    assert rows[0]["unit"] == {"code": "zyx", "name": "紫阳县人民政府"} and rows[0]["items"][0] == "5个栏目更新不及时"
    with app.app_context():
        assert count(Finding) == 0
    done = runner.invoke(args=["findings", "import", str(path), "--round", "R", "--deadline", "2020-03-09"])
    assert "imported 31 finding(s)" in done.output


def test_progress_is_reported_while_importing(registry):
    calls = []
    inspections.commit(registry[0], TABLE, "t.csv", "R", date(2020, 3, 9), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(20, 31), (31, 31)]


def test_category_catalogue_cli(app):
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["findings", "categories"])
    assert "stale_columns" in listed.output and "栏目更新不及时" in listed.output
    runner.invoke(args=["findings", "category", "https_missing", "未启用 HTTPS"])
    runner.invoke(args=["findings", "category", "empty_columns", "空栏目（含无内容专题）"])
    output = runner.invoke(args=["findings", "categories"]).output
    assert "未启用 HTTPS" in output and "空栏目（含无内容专题）" in output
    assert "停用" in runner.invoke(args=["findings", "category", "https_missing", "未启用 HTTPS", "--inactive"]).output
