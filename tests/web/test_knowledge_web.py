"""The knowledge base in the browser (test client) and over the API."""

from __future__ import annotations

import sqlalchemy as sa

from casework.extensions import db
from casework.models import KnowledgeEntry, ReplyDraft
from casework.permissions import SYSTEM_ACTOR
from casework.services import knowledge, tokens
from tests.web.helpers import new_letter, user

DIBAO = {"question": "最低生活保障如何申请？", "answer": "向户籍所在地乡镇人民政府（街道办事处）提出书面申请。",
         "category": "民政服务"}


def publish(app, **fields) -> int:
    with app.app_context():
        return knowledge.create(SYSTEM_ACTOR, {**DIBAO, **fields}, publish=True).id


def test_citizens_search_without_login_with_matches_marked_and_text_escaped(app, world, browser):
    entry = publish(app, answer="<script>alert(1)</script>向乡镇提出书面申请。")
    page = browser().get("/knowledge?q=低保咋申请").get_data(as_text=True)
    assert "<mark>最低生活保障</mark>" in page and "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert f"/knowledge/{entry}" in page
    assert "知识库" in browser().get(f"/knowledge/{entry}").get_data(as_text=True)
    fragment = browser().get("/knowledge?q=低保", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="kb-results"') and "<html" not in fragment
    with app.app_context():
        knowledge.transition(user("reviewer"), entry, "withdraw", "政策调整")
    assert browser().get(f"/knowledge/{entry}").status_code == 404
    assert "没有找到" in browser().get("/knowledge?q=低保").get_data(as_text=True)


def test_the_knowledge_base_is_part_of_the_public_site(app, world, browser):
    entry = publish(app)
    for url in ("/knowledge?q=低保", f"/knowledge/{entry}", "/knowledge/999999"):
        page = browser().get(url).get_data(as_text=True)
        # The portal's header, navigation (with 知识库 in it) and footer; not the staff system.
        assert 'class="site-nav"' in page and 'class="site-footer"' in page, url
        assert "政务网站与信件督办系统" not in page, url
    assert 'href="/knowledge" aria-current="page">知识库' in browser().get("/knowledge").get_data(as_text=True)
    assert 'href="/knowledge">知识库' in browser().get("/").get_data(as_text=True)


def test_the_letter_form_suggests_answers_while_the_subject_is_typed(app, world, browser):
    publish(app)
    form = browser().get("/letters/new").get_data(as_text=True)
    assert 'id="kb-suggest"' in form and "from:[name='subject']" in form and 'href="/knowledge"' in form
    fragment = browser().get("/knowledge/suggest?subject=低保怎么办理", headers={"HX-Request": "true"})
    assert "类似问题的答复" in fragment.get_data(as_text=True) and "<html" not in fragment.get_data(as_text=True)
    plain = browser().get("/knowledge/suggest?subject=低保怎么办理")  # no JavaScript: the search page
    assert plain.status_code == 303 and "/knowledge?q=" in plain.headers["Location"]


def test_a_unit_copies_a_suggested_answer_into_its_draft(app, world, browser):
    entry = publish(app)
    number = new_letter(app, assign_to="zyx", subject="低保申请", body="家里困难，想申请低保。")
    handler = browser("zyx_handler")
    assert "类似问题的答复口径" in handler.get(f"/cases/{number}").get_data(as_text=True)
    listing = handler.get(f"/cases/{number}/knowledge", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "复制到答复" in listing and DIBAO["answer"] in listing
    assert handler.post(f"/cases/{number}/knowledge/copy", {"kind": "entry", "ref": entry}).status_code == 303
    handler.post(f"/cases/{number}/knowledge/copy", {"kind": "entry", "ref": entry})
    with app.app_context():
        draft = db.session.scalar(sa.select(ReplyDraft))
        assert draft.body.count(DIBAO["answer"]) == 2
    other = browser("gaj_handler")
    assert other.get(f"/cases/{number}/knowledge").status_code == 404
    assert other.post(f"/cases/{number}/knowledge/copy", {"kind": "entry", "ref": entry}).status_code == 404
    assert handler.post(f"/cases/{number}/knowledge/copy", {"kind": "entry", "ref": entry}, csrf=False).status_code == 400


def test_units_write_entries_and_the_office_reviews_them_in_the_browser(app, world, browser):
    handler = browser("zyx_handler")
    bad = handler.post("/knowledge/manage/new", {"question": "", "answer": "x", "publish": "1"})
    assert bad.status_code == 400 and "请填写问题" in bad.get_data(as_text=True)
    created = handler.post("/knowledge/manage/new", {**DIBAO, "publish": "1"})
    entry_id = int(created.headers["Location"].rsplit("/", 1)[1])
    assert "待审核" in handler.get(f"/knowledge/manage/{entry_id}").get_data(as_text=True)
    handler.post(f"/knowledge/manage/{entry_id}/publish")
    with app.app_context():
        assert db.session.get(KnowledgeEntry, entry_id).state == "in_review"
    reviewer = browser("reviewer")
    reviewer.get(f"/knowledge/manage/{entry_id}")
    reviewer.post(f"/knowledge/manage/{entry_id}/publish", {"_version": "1"})
    page = reviewer.get(f"/knowledge/manage/{entry_id}").get_data(as_text=True)
    assert "已发布" in page and "审核发布" in page and "版本历史" in page
    assert browser("gaj_handler").get("/knowledge/manage/999").status_code == 404
    assert browser("zyx_handler").get("/knowledge/manage/synonyms").status_code == 403


def test_the_office_edits_the_synonym_list(app, world, browser):
    publish(app)
    reviewer = browser("reviewer")
    reviewer.get("/knowledge/manage/synonyms")
    assert reviewer.post("/knowledge/manage/synonyms", {"terms": "单独"}).status_code == 400
    reviewer.post("/knowledge/manage/synonyms", {"terms": "最低生活保障 吃皇粮补助"})
    assert "最低生活保障" in browser().get("/knowledge?q=吃皇粮补助").get_data(as_text=True)


def test_api_creates_reads_and_searches_entries(app, world):
    client = app.test_client()
    with app.app_context():
        office, unit = tokens.issue(SYSTEM_ACTOR, "reviewer"), tokens.issue(SYSTEM_ACTOR, "zyx_handler")

    def post(token, body):
        return client.post("/api/v1/knowledge", json=body, headers={"Authorization": f"Bearer {token}"})
    assert client.post("/api/v1/knowledge", json=DIBAO).status_code == 401
    made = post(office, {**DIBAO, "basis": {"title": "社会救助暂行办法", "number": "国务院令第649号"},
                         "valid_until": "2030-12-31", "published": True})
    assert made.status_code == 201 and made.json["state"] == "published" and made.json["id"]
    proposed = post(unit, {"question": "残疾人证怎么办？", "answer": "到残联申请。", "published": True})
    assert proposed.status_code == 201 and proposed.json["state"] == "in_review"
    assert post(unit, {"question": "", "answer": "x"}).status_code == 400
    assert post(unit, {**DIBAO, "published": "yes"}).status_code == 400
    assert post(unit, {**DIBAO, "unit_code": "nope"}).json["fields"]["unit_code"]
    got = client.get(f"/api/v1/knowledge/{made.json['id']}", headers={"Authorization": f"Bearer {unit}"})
    assert got.json["basis"]["number"] == "国务院令第649号"
    with app.app_context():
        other = tokens.issue(SYSTEM_ACTOR, "gaj_handler")
    assert client.get(f"/api/v1/knowledge/{proposed.json['id']}",
                      headers={"Authorization": f"Bearer {other}"}).status_code == 404
    found = client.get("/api/v1/knowledge/search?q=低保怎么申请&limit=5")  # public: no token
    assert found.status_code == 200 and [i["id"] for i in found.json["items"]] == [made.json["id"]]
    assert 0 < found.json["items"][0]["score"] <= 1
    assert client.get("/api/v1/knowledge/search?q=残疾人证").json["items"] == []  # in review: not public
    assert client.get("/api/v1/knowledge/search").status_code == 400
    assert client.get("/api/v1/knowledge/search?q=低保&limit=0").status_code == 400
    spec = client.get("/api/v1/openapi.json").json
    assert {"/knowledge", "/knowledge/{entry_id}", "/knowledge/search"} <= set(spec["paths"])
    assert "KnowledgeEntry" in spec["components"]["schemas"]
