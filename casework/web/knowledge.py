"""The knowledge base for citizens (no login): search entries and published answers, read
an entry, and the 类似问题的答复 fragment of the letter form. Office and unit pages are in
knowledge_admin.py."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from workflows.errors import NotFound

from ..extensions import db, limiter
from ..models import KnowledgeEntry
from ..queries import knowledge as kb
from .render import page, wants_fragment

bp = Blueprint("knowledge", __name__, url_prefix="/knowledge")
MAX_QUERY = 100


def _query(name: str = "q") -> str:
    return (request.args.get(name) or "").strip()[:MAX_QUERY]


@bp.get("")
@limiter.limit("120 per minute")
def search():
    q = _query()
    results = kb.search(q, limit=20) if q else []
    return page("knowledge/search.html", "knowledge/_results.html", q=q, results=results)


@bp.get("/<int:entry_id>")
def entry(entry_id: int):
    e = db.session.get(KnowledgeEntry, entry_id)
    if e is None or e.state != "published":
        raise NotFound("该条目不存在或未发布。")
    return render_template("knowledge/entry.html", entry=e, basis=kb.basis_of(e))


@bp.get("/suggest")
@limiter.limit("120 per minute")
def suggest():
    """What the letter form shows under the subject while the citizen types."""
    q = _query("subject") or _query()
    if not wants_fragment():
        return redirect(url_for("knowledge.search", q=q) if q else url_for("knowledge.search"), code=303)
    results = kb.search(q, limit=3, snippet=80) if len(q) >= 2 else []
    return render_template("knowledge/_suggest.html", q=q, results=results)
