"""Knowledge base entries, their lifecycle and versions, and search on both databases."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from casework import clock
from casework.extensions import db
from casework.models import KnowledgeEntry, KnowledgeVersion, Notification, SearchDoc
from casework.queries import knowledge as kb
from casework.queries.publication_preview import preview
from casework.search import engine
from casework.services import (
    case_actions,
    knowledge,
    knowledge_import,
    knowledge_upkeep,
    search_index,
    synonyms,
)
from tests.factories import act, build_world, letter
from workflows.clock import local_date
from workflows.errors import Conflict, Forbidden, Invalid, NotFound

HUJI = {"question": "非本地户籍的适龄儿童如何申请义务教育阶段入学？",
        "answer": "随迁子女入学需持居住证、父母务工或经商证明、户口簿，向居住地教育局申请。", "category": "教育"}
DIBAO = {"question": "最低生活保障如何申请？", "answer": "向户籍所在地乡镇人民政府（街道办事处）提出书面申请。",
         "category": "民政服务"}


@pytest.fixture
def w(ctx):
    return build_world()


def ids(results):
    return [r.id for r in results]


def test_a_units_entry_needs_the_office_to_publish_it_and_every_step_is_a_version(w):
    entry = knowledge.create(w.zyx_handler, HUJI, publish=True)
    assert entry.state == "in_review" and entry.unit_id == w.zyx.id and entry.owner_unit_id == w.zyx.id
    assert kb.search("户口 上学") == []  # not published: not found
    with pytest.raises(Forbidden):
        knowledge.transition(w.zyx_handler, entry.id, "publish")
    with pytest.raises(NotFound):  # another unit does not even see it
        knowledge.get(w.gaj_handler, entry.id)
    with pytest.raises(Invalid):
        knowledge.transition(w.reviewer, entry.id, "send_back")  # a reason is required
    knowledge.transition(w.reviewer, entry.id, "send_back", "请补充政策依据")
    knowledge.update(w.zyx_handler, entry.id, {**HUJI, "basis_title": "义务教育法", "basis_number": "主席令第52号"})
    knowledge.transition(w.zyx_handler, entry.id, "submit")
    knowledge.transition(w.reviewer, entry.id, "publish")
    assert ids(kb.search("户口 上学")) == [entry.id]
    with pytest.raises(Forbidden):  # published: only the office edits it now
        knowledge.update(w.zyx_handler, entry.id, HUJI)
    versions = db.session.scalars(sa.select(KnowledgeVersion).where(KnowledgeVersion.entry_id == entry.id)
                                  .order_by(KnowledgeVersion.version)).all()
    assert [(v.version, v.action, v.state) for v in versions] == [
        (1, "create", "in_review"), (2, "send_back", "draft"), (3, "edit", "draft"),
        (4, "submit", "in_review"), (5, "publish", "published")]
    assert versions[1].comment == "请补充政策依据" and versions[2].basis_number == "主席令第52号"
    assert db.session.get(KnowledgeEntry, entry.id).version == 5


def test_versions_are_append_only_and_a_stale_edit_is_refused(w):
    entry = knowledge.create(w.reviewer, HUJI)
    knowledge.update(w.reviewer, entry.id, DIBAO, expected_version=1)
    with pytest.raises(Conflict):
        knowledge.update(w.reviewer, entry.id, HUJI, expected_version=1)
    version = db.session.scalar(sa.select(KnowledgeVersion).limit(1))
    version.comment = "changed"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(sa.exc.DatabaseError):  # the database refuses too
        db.session.execute(sa.text("UPDATE knowledge_versions SET comment = 'x'"))
    db.session.rollback()


def test_bad_input_changes_nothing(w):
    for bad in ({"question": "", "answer": "x"}, {**HUJI, "basis_url": "javascript:alert(1)"},
                {**HUJI, "valid_from": "2026-05-01", "valid_until": "2026-04-01"}, {**HUJI, "unit_code": "nope"},
                {**HUJI, "category": "不存在"}):
        with pytest.raises(Invalid):
            knowledge.create(w.reviewer, bad)
    assert db.session.scalar(sa.select(sa.func.count(KnowledgeEntry.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(SearchDoc.id))) == 0


def test_synonyms_find_the_official_wording_and_the_office_can_add_its_own(w):
    huji = knowledge.create(w.reviewer, HUJI, publish=True)
    dibao = knowledge.create(w.reviewer, DIBAO, publish=True)
    assert ids(kb.search("低保咋申请"))[0] == dibao.id
    assert ids(kb.search("我家娃上小学户口不在这边能报名吗"))[0] == huji.id
    top = kb.search("低保咋申请")[0]
    assert "<mark>最低生活保障</mark>" in top.title_html
    bike = knowledge.create(w.reviewer, {"question": "电动自行车上牌需要什么材料？",
                                         "answer": "携带购车发票、产品合格证和本人身份证到交警部门登记。"}, publish=True)
    assert kb.search("小电驴") == []  # the office has not said that 小电驴 is one yet
    synonyms.save("电动自行车 小电驴")
    assert ids(kb.search("小电驴")) == [bike.id]


def test_expired_entries_are_not_suggested_and_the_daily_job_lists_them(w):
    # Validity is by Beijing's date: between 16:00 and 24:00 UTC it is already tomorrow there.
    today = local_date(clock.now())
    old = knowledge.create(w.reviewer, {**HUJI, "valid_until": (today - timedelta(days=1)).isoformat(),
                                        "unit_code": "zyx"})
    db.session.execute(sa.update(KnowledgeEntry).where(KnowledgeEntry.id == old.id).values(state="published"))
    search_index.reindex()
    current = knowledge.create(w.reviewer, {**DIBAO, "valid_until": today.isoformat()}, publish=True)
    assert ids(kb.search("随迁子女")) == [] and ids(kb.search("最低生活保障")) == [current.id]
    assert knowledge_upkeep.expire_due(clock.now()) == [old.id]
    assert knowledge_upkeep.expire_due(clock.now()) == []  # a second run changes nothing
    assert db.session.get(KnowledgeEntry, old.id).state == "expired"
    messages = db.session.scalars(sa.select(Notification.message)).all()
    assert len(messages) == 4 and all(f"#{old.id}" in m for m in messages)  # admin, reviewer, zyx ×2
    assert [e.id for e in knowledge_upkeep.expired()] == [old.id]
    with pytest.raises(Invalid):
        knowledge.transition(w.reviewer, knowledge.transition(w.reviewer, old.id, "reopen").id, "publish")


def _published_answer(w, reply: str):
    case = letter(w.dispatcher, subject="孩子上学户口问题", body="我的电话13909150001，孩子户口不在本地。",
                  consent_publish=True)
    act(w.dispatcher, case, "assign", unit_code="zyx")
    act(w.zyx_handler, case, "reply", body=reply)
    act(w.reviewer, case, "accept")
    act(w.reviewer, case, "close")
    case.consent_publish = True
    db.session.commit()
    texts = preview(case)
    return case_actions.perform(w.reviewer, case.number, "publish_answer",
                                {k: texts[k] for k in ("subject", "body", "reply")})


def test_a_published_answer_becomes_a_masked_entry_and_leaves_search_when_withdrawn(w):
    case = _published_answer(w, "王先生您好，已联系您（13909150001），随迁子女凭居住证到教育局办理入学。")
    assert [r.number for r in kb.search("随迁子女 居住证")] == [case.number]
    entry = knowledge.from_answer(w.zyx_handler, case.number)
    assert entry.state == "draft" and entry.source_case_id == case.id and entry.unit_id == w.zyx.id
    assert "13909150001" not in entry.answer and "139*" in entry.answer and "王先生" not in entry.answer
    with pytest.raises(Conflict):
        knowledge.from_answer(w.reviewer, case.number)  # one entry per answer
    with pytest.raises(NotFound):
        knowledge.from_answer(w.gaj_handler, case.number)  # another unit's case
    case_actions.perform(w.reviewer, case.number, "unpublish_answer")
    assert kb.search("随迁子女 居住证") == []


def test_a_rolled_back_change_leaves_no_search_document(w):
    with pytest.raises(RuntimeError):
        from casework.services.tx import transaction
        with transaction():
            db.session.add(KnowledgeEntry(question="q", answer="a", state="published"))
            db.session.flush()
            raise RuntimeError
    assert db.session.scalar(sa.select(sa.func.count(SearchDoc.id))) == 0


def _xlsx(rows) -> bytes:
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["安康市12345知识库（第一批）"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_import_is_all_or_nothing(w):
    header = ["问题", "答复口径", "类别", "责任单位", "政策依据", "文号", "有效期至"]
    good = _xlsx([header, [HUJI["question"], HUJI["answer"], "教育", "紫阳县", "义务教育法", "", "2030.12.31"],
                  [DIBAO["question"], DIBAO["answer"], "", "", "", "", ""]])
    rows = knowledge_import.preview(good, "kb.xlsx")
    assert [r.errors for r in rows] == [[], []] and rows[0].values["unit_code"] == "zyx"
    assert knowledge_import.commit(w.reviewer, good, "kb.xlsx", publish=True) == 2
    entries = db.session.scalars(sa.select(KnowledgeEntry).order_by(KnowledgeEntry.id)).all()
    assert [e.state for e in entries] == ["published", "published"] and entries[0].valid_until == date(2030, 12, 31)
    bad = _xlsx([header, ["新问题", "新答复", "", "", "", "", ""], ["问题二", "答复二", "", "没有这个单位", "", "", "明年"]])
    with pytest.raises(Invalid) as caught:
        knowledge_import.commit(w.reviewer, bad, "kb.xlsx")
    assert "第 4 行" in caught.value.fields["file"]
    assert db.session.scalar(sa.select(sa.func.count(KnowledgeEntry.id))) == 2
    with pytest.raises(Invalid):
        knowledge_import.preview(b"not a spreadsheet", "kb.xlsx")


def test_search_scopes_keep_letters_private(w):
    letter(w.dispatcher, subject="举报某小区违建", body="张三在楼顶私搭乱建。")
    assert kb.search("违建") == [] and kb.search("张三") == []
    analyzed = kb.analyzed("违建")
    hits = engine.search(analyzed, engine.Scope(letters=True))
    assert len(hits) == 1 and hits[0].kind == "letter"


def test_query_text_with_operators_is_taken_literally(w):
    knowledge.create(w.reviewer, DIBAO, publish=True)
    for q in ["' | ! & ( :* \"", "低保\" OR \"x", "低保' & '*", "NEAR(低保)", "\\"]:
        kb.search(q)  # no syntax error on either database
    assert kb.search("低保\" OR \"x")


def test_a_unit_change_moves_the_letters_area_without_segmenting_it_again(w, monkeypatch):
    case = letter(w.dispatcher, subject="自来水频繁停水", body="近一个月停水四次。")
    doc = db.session.scalar(sa.select(SearchDoc).where(SearchDoc.kind == "letter", SearchDoc.ref_id == case.id))
    terms, area = (doc.title_terms, doc.body_terms), doc.area
    assert area is None

    def segmenting(_text):
        raise AssertionError("the text did not change: it must not be segmented again")
    monkeypatch.setattr(search_index.text, "index_terms", segmenting)
    act(w.dispatcher, case, "assign", unit_code="zyx")
    db.session.expire_all()
    doc = db.session.scalar(sa.select(SearchDoc).where(SearchDoc.kind == "letter", SearchDoc.ref_id == case.id))
    assert doc.area == "紫阳县" and (doc.title_terms, doc.body_terms) == terms
    monkeypatch.undo()  # a reply changes the text: its terms join the letter's
    act(w.zyx_handler, case, "reply", body="已协调供水公司抢修加压设备。")
    db.session.expire_all()
    doc = db.session.scalar(sa.select(SearchDoc).where(SearchDoc.kind == "letter", SearchDoc.ref_id == case.id))
    assert "加压" in doc.body_terms.split() and doc.area == "紫阳县"


def _letter_doc(case_id: int) -> tuple:
    db.session.expire_all()
    doc = db.session.scalar(sa.select(SearchDoc).where(SearchDoc.kind == "letter", SearchDoc.ref_id == case_id))
    return doc.title_terms, doc.body_terms, doc.topic, doc.area


def test_a_reply_adds_its_terms_without_segmenting_the_letter_again(w, monkeypatch):
    body = "我家住城关镇新桥社区，近一个月已经停水四次，每次都没有提前通知。\n家里有老人小孩，生活很不方便。"
    case = letter(w.dispatcher, subject="自来水频繁停水", body=body)
    act(w.dispatcher, case, "assign", unit_code="zyx")
    segmented = []
    real = search_index.text.index_terms
    monkeypatch.setattr(search_index.text, "index_terms", lambda t: segmented.append(t) or real(t))
    act(w.zyx_handler, case, "reply", body="已协调供水公司抢修加压设备，本周内恢复正常供水。")
    assert segmented == ["已协调供水公司抢修加压设备，本周内恢复正常供水。"]
    act(w.reviewer, case, "return_reply", reason="buck_passing", comment="请说明停水原因。")  # stays in the document
    act(w.zyx_handler, case, "reply", body="停水系管网老化爆管所致，已更换主管道。")
    assert segmented[1:] == ["停水系管网老化爆管所致，已更换主管道。"]
    incremental = _letter_doc(case.id)
    assert {"加压", "爆管"} <= set(incremental[1].split())
    monkeypatch.undo()
    search_index.reindex()  # what the whole letter and its replies segment to, from scratch
    assert _letter_doc(case.id) == incremental


def test_a_big_collection_reads_a_common_words_newest_answers_and_falls_back_to_the_index(pg_app, monkeypatch):
    """The path of a million documents, on a few: every word the statistics list is common."""
    from casework.search import query as q

    with pg_app.app_context():
        at = datetime(2026, 1, 1, tzinfo=UTC)

        def doc(kind, ref_id, terms, minutes):
            return {"kind": kind, "ref_id": ref_id, "public": kind == "answer", "title_terms": terms,
                    "body_terms": terms, "topic": None, "area": None, "at": at + timedelta(minutes=minutes),
                    "valid_from": None, "valid_until": None}
        # 停电 is in every letter but only in the three oldest answers; 电话 in every answer.
        search_index.upsert(db.session.connection(), [
            doc("answer", i, "电话 联系" + (" 停电" if i <= 3 else ""), i) for i in range(1, 31)] + [
            doc("letter", i, "停电 电话", i) for i in range(1, 41)])
        db.session.commit()
        db.session.execute(sa.text("ANALYZE search_docs"))
        monkeypatch.setattr(engine, "BIG", 0)
        monkeypatch.setattr(engine, "COMMON", 0.01)
        monkeypatch.setattr(engine, "WINDOW", 10)
        engine._common.clear()
        common = engine.common_words("postgresql")
        assert {"电话", "停电"} <= set(common)
        newest = engine.search(q.analyze("电话"), engine.ANSWERS, limit=5)
        assert [h.ref_id for h in newest] == [30, 29, 28, 27, 26]
        # None of the newest ten answers has 停电: the GIN index finds the three that do.
        assert sorted(h.ref_id for h in engine.search(q.analyze("停电"), engine.ANSWERS, limit=5)) == [1, 2, 3]
        engine._common.clear()
