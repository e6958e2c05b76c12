"""Reading the knowledge base: the public search (entries and published answers), and
the answers suggested beside a unit's reply form."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from markupsafe import Markup

from ..events import SynonymsChanged
from ..extensions import db
from ..models import Case, CasePublication, KnowledgeEntry, SynonymGroup, Unit
from ..pipeline import Batch
from ..search import engine, text
from ..search.highlight import highlight
from ..search.query import Analyzed, analyze

SNIPPET = 160


@dataclass(frozen=True)
class Result:
    kind: str                 # entry | answer
    id: int                   # entry id or case id
    number: str | None        # case number of an answer
    title: str
    answer: str
    unit: str | None
    at: datetime | None
    score: float
    title_html: Markup
    snippet_html: Markup
    category: str | None = None
    basis: str | None = None
    basis_url: str | None = None
    valid_until: date | None = None

    @property
    def label(self) -> str:
        return "知识库" if self.kind == "entry" else "已公开答复"


SYNONYMS_TTL = 60.0  # an edit made in another process is seen within a minute
_synonyms: dict[str, tuple[float, tuple[tuple[str, ...], ...]]] = {}


def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The office's synonym list, read on every search: kept per process for a minute."""
    key = str(db.session.get_bind().url)
    hit = _synonyms.get(key)
    if hit and time.monotonic() - hit[0] < SYNONYMS_TTL:
        return hit[1]
    rows = db.session.scalars(sa.select(SynonymGroup.terms).order_by(SynonymGroup.id)).all()
    value = tuple(tuple(r.split()) for r in rows)
    _synonyms[key] = (time.monotonic(), value)
    return value


def on_commit(batch: Batch) -> None:
    """Pipeline subscriber: this process reads the synonyms anew once a change commits
    (other processes within the minute they keep them)."""
    if batch.has(SynonymsChanged):
        _synonyms.clear()


def analyzed(query: str) -> Analyzed:
    return analyze(query, synonym_groups())


def basis_of(e) -> str | None:
    """An entry's policy basis as cited: 《title》（number）. `e`: an entry or a row of its columns."""
    parts = [p for p in (e.basis_title and f"《{e.basis_title.strip('《》')}》", e.basis_number) if p]
    return "（".join(parts) + "）" if len(parts) == 2 else (parts[0] if parts else None)


def results(hits: list[engine.Hit], terms: list[str], snippet: int | None = SNIPPET) -> list[Result]:
    """The hits as people read them, in the hits' order, matches highlighted. Plain rows
    of the columns shown: loading whole entities was a third of a search's time."""
    entry_ids = [h.ref_id for h in hits if h.kind == "entry"]
    case_ids = [h.ref_id for h in hits if h.kind == "answer"]
    e, p, c, u = KnowledgeEntry, CasePublication, Case, Unit
    entries = {r.id: r for r in db.session.execute(
        sa.select(e.id, e.question, e.answer, e.published_at, e.category, e.basis_title, e.basis_number,
                  e.basis_url, e.valid_until, u.name.label("unit")).outerjoin(u, u.id == e.unit_id)
        .where(e.id.in_(entry_ids)))} if entry_ids else {}
    cases = {r.id: r for r in db.session.execute(
        sa.select(c.id, c.number, p.subject, p.reply, p.published_at, u.name.label("unit"))
        .join(p, p.case_id == c.id).outerjoin(u, u.id == c.unit_id)
        .where(c.id.in_(case_ids), p.published_at.is_not(None)))} if case_ids else {}
    out = []
    for h in hits:
        if h.kind == "entry" and (r := entries.get(h.ref_id)):
            out.append(Result("entry", r.id, None, r.question, r.answer, r.unit, r.published_at, h.score,
                              highlight(r.question, terms), highlight(r.answer, terms, snippet), r.category,
                              basis_of(r), r.basis_url, r.valid_until))
        elif h.kind == "answer" and (r := cases.get(h.ref_id)):
            title, reply = r.subject or "", r.reply or ""
            out.append(Result("answer", r.id, r.number, title, reply, r.unit, r.published_at, h.score,
                              highlight(title, terms), highlight(reply, terms, snippet)))
    return out


def search(query: str, limit: int = 10, scope: engine.Scope = engine.PUBLIC,
           snippet: int | None = SNIPPET) -> list[Result]:
    a = analyzed(query)
    return results(engine.search(a, scope, limit=limit), a.surface + a.terms, snippet)


def letter_query(subject: str, body: str, k: int = 8) -> str:
    """A letter as a query: its subject's informative words, then its body's."""
    words = text.keywords(subject, k)
    words += [w for w in text.keywords(body, k) if w not in words]
    return " ".join(words[:k])


def for_reply(case: Case, limit: int = 5) -> list[Result]:
    """Published answers and entries most like this letter, for the unit replying to it
    (its own answer, if published, excluded). Full texts: they are copied into drafts."""
    a = analyzed(letter_query(case.subject, case.body))
    hits = [h for h in engine.search(a, limit=limit + 1, min_score=0.2)
            if not (h.kind == "answer" and h.ref_id == case.id)][:limit]
    return results(hits, a.surface + a.terms, snippet=240)
