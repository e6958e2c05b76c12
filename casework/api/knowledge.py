"""Knowledge base over the API: create an entry (office or unit token), read one, and the
public search over published entries."""

from __future__ import annotations

from flask import g, jsonify, request

from workflows.errors import Invalid

from ..queries import knowledge as kb
from ..search import engine
from ..services import knowledge
from .cases import json_body
from .registry import component, query, route
from .schemas import iso

BASIS = {"type": "object", "nullable": True, "properties": {
    "title": {"type": "string", "maxLength": 300, "nullable": True},
    "number": {"type": "string", "maxLength": 100, "nullable": True},
    "url": {"type": "string", "maxLength": 500, "nullable": True}}}
ENTRY = {"type": "object", "required": ["id", "question", "answer", "state", "version"], "properties": {
    "id": {"type": "integer"}, "question": {"type": "string"}, "answer": {"type": "string"},
    "category": {"type": "string", "nullable": True}, "unit_code": {"type": "string", "nullable": True},
    "basis": BASIS, "valid_from": {"type": "string", "format": "date", "nullable": True},
    "valid_until": {"type": "string", "format": "date", "nullable": True},
    "state": {"type": "string", "enum": ["draft", "in_review", "published", "expired", "withdrawn"]},
    "published_at": {"type": "string", "format": "date-time", "nullable": True},
    "version": {"type": "integer"}}}
NEW_ENTRY = {"type": "object", "required": ["question", "answer"], "properties": {
    "question": {"type": "string", "minLength": 1, "maxLength": 300},
    "answer": {"type": "string", "minLength": 1, "maxLength": 10000},
    "category": {"type": "string", "enum": list(knowledge.CATEGORIES), "nullable": True},
    "unit_code": {"type": "string", "nullable": True}, "basis": BASIS,
    "valid_from": {"type": "string", "format": "date", "nullable": True},
    "valid_until": {"type": "string", "format": "date", "nullable": True},
    "published": {"type": "boolean", "description": "office: publish now; unit: submit for review"}}}
HIT = {"type": "object", "required": ["id", "question", "answer", "score"], "properties": {
    "id": {"type": "integer"}, "question": {"type": "string"}, "answer": {"type": "string"},
    "score": {"type": "number", "description": "share of the query's information the entry covers, 0–1"},
    "category": {"type": "string", "nullable": True}, "unit": {"type": "string", "nullable": True},
    "basis": {"type": "string", "nullable": True}, "url": {"type": "string"}}}
SEARCH = {"type": "object", "required": ["items"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/KnowledgeHit"}}}}
for _name, _schema in (("KnowledgeEntry", ENTRY), ("NewKnowledgeEntry", NEW_ENTRY), ("KnowledgeHit", HIT),
                       ("KnowledgeSearch", SEARCH)):
    component(_name, _schema)


def entry_json(e) -> dict:
    return {"id": e.id, "question": e.question, "answer": e.answer, "category": e.category,
            "unit_code": e.unit.code if e.unit else None,
            "basis": {"title": e.basis_title, "number": e.basis_number, "url": e.basis_url},
            "valid_from": e.valid_from.isoformat() if e.valid_from else None,
            "valid_until": e.valid_until.isoformat() if e.valid_until else None,
            "state": e.state, "published_at": iso(e.published_at), "version": e.version}


def _fields(body: dict) -> dict:
    basis = body.get("basis") or {}
    if not isinstance(basis, dict):
        raise Invalid({"basis": "basis 应为对象 {title, number, url}。"})
    if "published" in body and not isinstance(body["published"], bool):
        raise Invalid({"published": "published 应为 true 或 false。"})
    return {**{k: body.get(k) for k in ("question", "answer", "category", "unit_code", "valid_from", "valid_until")},
            "basis_title": basis.get("title"), "basis_number": basis.get("number"), "basis_url": basis.get("url")}


@route("/knowledge", "POST", "Create a knowledge base entry (an office token may publish it; a unit's goes to review)",
       "KnowledgeEntry", status=201, request="NewKnowledgeEntry", errors=(400, 401, 403))
def create_entry():
    body = json_body()
    entry = knowledge.create(g.api_user, _fields(body), publish=body.get("published") is True)
    return jsonify(entry_json(entry)), 201


@route("/knowledge/<int:entry_id>", "GET", "A knowledge base entry (drafts only to the office and their unit)",
       "KnowledgeEntry", errors=(401, 404))
def get_entry(entry_id: int):
    return jsonify(entry_json(knowledge.get(g.api_user, entry_id)))


@route("/knowledge/search", "GET", "Search the published entries, best first (public, no token needed)",
       "KnowledgeSearch", errors=(400,), public=True, query=[
           query("q", {"type": "string", "minLength": 1, "maxLength": 100}, "the question, in the asker's words"),
           query("limit", {"type": "integer", "minimum": 1, "maximum": 50}, "how many (default 10)")])
def search_entries():
    q = (request.args.get("q") or "").strip()
    if not q or len(q) > 100:
        raise Invalid({"q": "请提供 1–100 字的检索词 q。"})
    raw = request.args.get("limit", "10")
    if not raw.isdigit() or not 1 <= int(raw) <= 50:
        raise Invalid({"limit": "limit 应为 1–50 的整数。"})
    results = kb.search(q, limit=int(raw), scope=engine.ENTRIES, snippet=None)
    return jsonify(items=[{"id": r.id, "question": r.title, "answer": r.answer, "score": r.score,
                           "category": r.category, "unit": r.unit, "basis": r.basis,
                           "url": f"/knowledge/{r.id}"} for r in results])
