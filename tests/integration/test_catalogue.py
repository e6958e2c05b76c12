"""The 派单目录: versions, import, suggestions, and the rule that a city department's
matter is not pushed down to a county/township unit without the office's reason."""

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from casework import clock
from casework.extensions import db
from casework.models import CaseEvent, CatalogueEntry
from casework.permissions import SYSTEM_ACTOR
from casework.queries import catalogue as read
from casework.services import accounts, catalogue, catalogue_import
from tests.factories import act, build_world, letter, local, reload
from workflows.errors import Forbidden, Invalid, NotAllowed

WATER = {"name": "城市供水停水问题", "category": "城乡建设", "keywords": "停水、自来水", "unit_code": "zjj",
         "basis_kind": "sanding", "basis": "《市住建局三定规定》", "city_level": "1"}


@pytest.fixture
def w(ctx):
    world = build_world()
    accounts.create_unit(SYSTEM_ACTOR, "zjj", "安康市住房和城乡建设局", "department", "住建局")
    accounts.create_unit(SYSTEM_ACTOR, "hbq", "汉滨区人民政府", "county", "汉滨区")
    return world


def test_every_change_is_a_version_and_old_rows_stay(w):
    first = catalogue.save(w.admin, WATER)
    changed = catalogue.save(w.admin, WATER | {"keywords": "停水、自来水、水压低"}, first.matter_id)
    assert catalogue.save(w.admin, WATER | {"keywords": "停水、自来水、水压低"}, first.matter_id).id == changed.id
    catalogue.retire(w.admin, first.matter_id)
    history = read.matter_history(first.matter_id)
    assert [(e.version, e.superseded_in) for e in history] == [(2, 3), (1, 2)]
    assert [v.summary for v in read.versions()] == ["停用事项「城市供水停水问题」", "修改事项「城市供水停水问题」",
                                                   "新增事项「城市供水停水问题」"]
    assert read.versions()[0].by_id == w.admin.id


def test_only_the_administrator_edits_and_input_is_checked(w):
    with pytest.raises(Forbidden):
        catalogue.save(w.dispatcher, WATER)
    with pytest.raises(Invalid) as exc:
        catalogue.save(w.admin, WATER | {"keywords": "、", "basis_kind": "x"})
    assert set(exc.value.fields) == {"basis_kind"}
    with pytest.raises(Invalid, match="输入有误") as exc:
        catalogue.save(w.admin, WATER | {"unit_code": "zyx"})
    assert "县区" in exc.value.fields["unit_code"]


def test_suggestions_match_keywords_by_jieba_words_and_areas(w):
    catalogue.save(w.admin, WATER)
    catalogue.save(w.admin, WATER | {"name": "汉滨区供水", "area": "汉滨区", "unit_code": "hbq", "city_level": ""})
    catalogue.save(w.admin, {**WATER, "name": "噪音扰民", "keywords": "噪音", "unit_code": "gaj", "city_level": ""})
    c = letter(w.dispatcher, subject="城关镇自来水频繁停水", body="近一个月停水四次。")
    [m] = read.matches(c)
    assert (m.entry.name, m.keywords, m.area) == ("城市供水停水问题", ("停水", "自来水"), None)
    assert "匹配关键词：停水、自来水" in m.reason and "派单目录第 3 版" in m.reason
    c2 = letter(w.dispatcher, subject="汉滨区江北停水", body="停水三天")
    # Equal keywords: the matter of the letter's own area first.
    assert [(m.entry.name, m.area) for m in read.matches(c2)] == [("汉滨区供水", "汉滨区"), ("城市供水停水问题", None)]


def test_a_city_matter_is_not_sent_down_without_the_office(w):
    entry = catalogue.save(w.admin, WATER)
    c = letter(w.dispatcher)  # 城关镇自来水频繁停水: the catalogue's best match is the city matter
    with pytest.raises(NotAllowed, match="不得随意派给紫阳县人民政府等基层单位"):
        act(w.dispatcher, c, "assign", unit_code="zyx")
    with pytest.raises(NotAllowed, match="请填写下派基层的理由"):
        act(w.admin, c, "assign", unit_code="zyx")
    assert reload(c).state == "opened"
    act(w.admin, c, "assign", unit_code="zyx", override_reason="该镇供水站由县政府管理")
    data = db.session.scalars(sa.select(CaseEvent.data).where(CaseEvent.case_id == c.id,
                                                              CaseEvent.event == "assign")).one()
    assert data["override_reason"] == "该镇供水站由县政府管理"
    assert (data["catalogue_entry"], data["catalogue_version"], data["followed"]) == (entry.id, 1, False)


def test_following_the_catalogue_records_the_entry_and_version(w):
    entry = catalogue.save(w.admin, WATER)
    c = letter(w.dispatcher)
    act(w.dispatcher, c, "assign", unit_code="zjj", catalogue_entry=str(entry.id))
    data = db.session.scalars(sa.select(CaseEvent.data).where(CaseEvent.case_id == c.id,
                                                              CaseEvent.event == "assign")).one()
    assert (data["matter"], data["catalogue_entry"], data["catalogue_version"], data["followed"]) == \
        ("城市供水停水问题", entry.id, 1, True)
    # A superseded entry is refused: the page was older than the catalogue.
    catalogue.save(w.admin, WATER | {"keywords": "停水"}, entry.matter_id)
    c2 = letter(w.dispatcher)
    with pytest.raises(Invalid, match="输入有误") as exc:
        act(w.dispatcher, c2, "assign", unit_code="zjj", catalogue_entry=str(entry.id))
    assert "已更新" in exc.value.fields["catalogue_entry"]


def test_letters_outside_the_catalogue_dispatch_freely(w):
    catalogue.save(w.admin, WATER)
    with clock.travel(local(2025, 11, 7, 9)):
        c = letter(w.dispatcher, subject="路灯不亮", body="小区门口路灯坏了。")
        act(w.dispatcher, c, "assign", unit_code="zyx")
    assert reload(c).unit.code == "zyx"


def book(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_template_imports_as_one_version(w):
    assert catalogue_import.commit(w.admin, catalogue_import.template(), "模板.xlsx") == (1, 0)
    assert catalogue_import.commit(w.admin, catalogue_import.template(), "模板.xlsx") == (0, 0)
    [e] = read.current_entries()
    assert (e.name, e.unit.code, e.city_level, e.basis_kind) == ("城市供水停水问题", "zjj", True, "sanding")
    assert read.versions()[0].summary == "导入 模板.xlsx：新增 1 项，修改 0 项"


def test_an_import_with_bad_rows_reports_each_and_writes_nothing(w):
    header = list(catalogue_import.HEADER)
    content = book([["派单目录"], header,
                    ["噪音扰民", "", "噪音", "", "公安局", "三定", "三定规定", "否"],
                    ["停水", "", "停水", "", "不存在的局", "三定", "三定规定", "否"],
                    ["", "", "停水", "", "公安局", "文件", "某文件", "也许"],
                    ["噪音扰民", "", "噪音", "", "公安局", "三定", "三定规定", "否"]])
    with pytest.raises(Invalid) as exc:
        catalogue_import.commit(w.admin, content, "目录.xlsx")
    assert exc.value.message == "3 行有误，未导入任何事项。"
    assert exc.value.fields["第 4 行"] == "找不到责任单位“不存在的局”。"
    assert "“是”或“否”" in exc.value.fields["第 5 行"]
    assert "与第 3 行" in exc.value.fields["第 6 行"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CatalogueEntry)) == 0
    with pytest.raises(Forbidden):
        catalogue_import.commit(w.dispatcher, content, "目录.xlsx")
