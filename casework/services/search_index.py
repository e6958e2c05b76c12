"""Keeping search_docs in step with what they index, inside the same transaction.

A flush that creates or changes a letter, publishes or withdraws its answer, or changes
a knowledge entry upserts (or deletes) the matching search document on the flush's own
connection: a commit that changes a text commits its index too, and a rollback undoes
both. Set-based SQL that bypasses the ORM does not come through here: `reindex` rebuilds
everything from the source tables (after a bulk load or a change of the jieba dictionary)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from workflows.clock import utcnow

from ..extensions import db
from ..models import Case, CasePublication, KnowledgeEntry, Reply, SearchDoc, Unit
from ..reference import cached
from ..search import text

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
LETTER_FIELDS = ("subject", "body", "received_at")
# Replies the office has seen: the office search finds a letter by what was answered too.
# A draft waiting for the unit's leader (pending_approval) is the unit's own until sent.
SENT_REPLIES = ("submitted", "accepted", "returned")
ANSWER_FIELDS = ("published_at", "subject", "body", "reply")
ENTRY_FIELDS = ("question", "answer", "state", "valid_from", "valid_until", "published_at")
TABLE = SearchDoc.__table__


def _areas(connection) -> tuple[tuple[str, str], ...]:
    """(what to look for, area label) for every county or district, longest first."""
    rows = connection.execute(sa.select(Unit.name, Unit.short_name).where(Unit.kind == "county")).all()
    out = []
    for name, short in rows:
        label = short or name.removesuffix("人民政府")
        out.append((label, label))
        core = label.removesuffix("县").removesuffix("区").removesuffix("市")
        if len(core) >= 2 and core != label:
            out.append((core, label))
    return tuple(sorted(out, key=lambda t: len(t[0]), reverse=True))


def area_of(areas, subject: str, body: str, unit_name: str | None) -> str | None:
    """The county or district a letter is about: the first one named in it, else the
    county it was assigned to."""
    for needle, label in areas:
        if needle in subject or needle in body[:500]:
            return label
    for needle, label in areas:
        if unit_name and unit_name.startswith(needle):
            return label
    return None


def sent_replies(connection, case_ids) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if case_ids:
        for case_id, body in connection.execute(
                sa.select(Reply.case_id, Reply.body).where(Reply.case_id.in_(case_ids), Reply.status.in_(SENT_REPLIES))
                .order_by(Reply.case_id, Reply.attempt)):
            out.setdefault(case_id, []).append(body)
    return out


def letter_doc(case: Case, areas=(), replies: list[str] = ()) -> dict:
    """The letter's subject as its title; its text and the replies sent on it as its body."""
    unit = case.unit.name if case.unit else None
    return {"kind": "letter", "ref_id": case.id, "public": False,
            "title_terms": " ".join(text.index_terms(case.subject)),
            "body_terms": " ".join(text.index_terms("\n".join((case.body, *replies)))),
            "topic": text.topic(case.subject, case.body), "area": area_of(areas, case.subject, case.body, unit),
            "at": case.received_at, "valid_from": None, "valid_until": None}


def answer_doc(publication: CasePublication) -> dict:
    return {"kind": "answer", "ref_id": publication.case_id, "public": True,
            "title_terms": " ".join(text.index_terms(publication.subject or "")),
            "body_terms": " ".join(text.index_terms(f"{publication.body or ''}\n{publication.reply or ''}")),
            "topic": None, "area": None, "at": publication.published_at, "valid_from": None, "valid_until": None}


def entry_doc(entry: KnowledgeEntry) -> dict:
    return {"kind": "entry", "ref_id": entry.id, "public": entry.state == "published",
            "title_terms": " ".join(text.index_terms(entry.question)),
            "body_terms": " ".join(text.index_terms(entry.answer)),
            "topic": None, "area": None, "at": entry.published_at or entry.updated_at or utcnow(),
            "valid_from": entry.valid_from, "valid_until": entry.valid_until}


def upsert(connection, rows: list[dict]) -> None:
    if not rows:
        return
    insert = _INSERT[connection.dialect.name](TABLE)
    columns = ("public", "title_terms", "body_terms", "topic", "area", "at", "valid_from", "valid_until")
    connection.execute(insert.on_conflict_do_update(
        index_elements=["kind", "ref_id"], set_={c: insert.excluded[c] for c in columns}), rows)


def delete(connection, kind: str, ref_ids: list[int]) -> None:
    if ref_ids:
        connection.execute(sa.delete(TABLE).where(TABLE.c.kind == kind, TABLE.c.ref_id.in_(ref_ids)))


def _changed(obj, fields) -> bool:
    attrs = sa.inspect(obj).attrs
    return any(attrs[f].history.has_changes() for f in fields)


def _reply_change(reply: Reply, is_new: bool) -> str | None:
    """What a reply's change does to its letter's document: "joins" (the office sees it
    now: its terms are added), "rewrites" (a text the document holds changed or left it),
    or None (nothing the document holds)."""
    sent = reply.status in SENT_REPLIES
    if is_new:
        return "joins" if sent else None
    history = sa.inspect(reply).attrs.status.history
    before = (history.deleted or history.unchanged or (None,))[0]
    was_sent = before in SENT_REPLIES
    if sent and not was_sent:
        return "joins"
    if was_sent and (not sent or _changed(reply, ("body",))):
        return "rewrites"
    return None


def index_flush(session: Session, _context) -> None:
    """After every flush (create_app listens): the changed texts' documents, written on the
    flush's own connection."""
    docs, gone_answers = [], []
    letters: dict[int, Case] = {}
    moved: dict[int, Case] = {}  # only the unit changed: the area may follow, the terms cannot
    joining: dict[int, list[Reply]] = {}  # replies the office now sees, on a letter otherwise unchanged
    for obj in list(session.new) + list(session.dirty):
        is_new = obj in session.new
        if isinstance(obj, Case) and obj.type == "letter":
            if is_new or _changed(obj, LETTER_FIELDS):
                letters[obj.id] = obj
            elif _changed(obj, ("unit_id",)):
                moved[obj.id] = obj
        elif isinstance(obj, CasePublication) and (is_new or _changed(obj, ANSWER_FIELDS)):
            if obj.published_at is not None:
                docs.append(answer_doc(obj))
            elif not is_new:
                gone_answers.append(obj.case_id)
        elif isinstance(obj, Reply) and (is_new or _changed(obj, ("status", "body"))):
            case = session.get(Case, obj.case_id)
            if case is None or case.type != "letter":
                continue
            change = _reply_change(obj, is_new)
            if change == "joins":
                joining.setdefault(case.id, []).append(obj)
            elif change == "rewrites":
                letters[case.id] = case
        elif isinstance(obj, KnowledgeEntry) and (is_new or _changed(obj, ENTRY_FIELDS)):
            docs.append(entry_doc(obj))
    moved = {k: c for k, c in moved.items() if k not in letters}
    if joining.keys() - letters.keys():
        connection = session.connection()
        # A letter's body terms are its text's and then its sent replies', in order, and
        # jieba segments across a line break as two texts: a reply joining the end adds
        # its own terms, without segmenting the letter and its earlier replies again.
        for case_id, replies in joining.items():
            if case_id in letters:
                continue
            terms = " ".join(t for r in sorted(replies, key=lambda r: r.attempt) for t in text.index_terms(r.body))
            if terms and not connection.execute(
                    sa.update(TABLE).where(TABLE.c.kind == "letter", TABLE.c.ref_id == case_id)
                    .values(body_terms=sa.case((TABLE.c.body_terms == "", terms),
                                               else_=TABLE.c.body_terms + " " + terms))).rowcount:
                letters[case_id] = session.get(Case, case_id)  # never indexed (a bulk load before `reindex`)
    if letters or moved:
        connection = session.connection()
        areas = cached("areas", lambda: _areas(connection))
        # Segmenting is most of a reassignment's cost (jieba over the whole letter): a
        # letter whose text did not change keeps its terms and gets its new area only.
        for case in moved.values():
            area = area_of(areas, case.subject, case.body, case.unit.name if case.unit else None)
            if not connection.execute(sa.update(TABLE).where(TABLE.c.kind == "letter", TABLE.c.ref_id == case.id)
                                      .values(area=area)).rowcount:
                letters[case.id] = case  # never indexed (a bulk load before `reindex`)
        if letters:
            # A letter inserted by this flush has no replies yet: a reply is written with
            # its letter's id, known only once the letter was flushed.
            replies = sent_replies(connection, [k for k, c in letters.items() if c not in session.new])
            docs += [letter_doc(c, areas, replies.get(c.id, [])) for c in letters.values()]
    if docs or gone_answers:
        connection = session.connection()
        upsert(connection, docs)
        delete(connection, "answer", gone_answers)


def reindex(batch: int = 2000) -> dict[str, int]:
    """Rebuild every search document from the source tables, in batches (one
    transaction each): what a change of the jieba dictionary or a bulk load needs."""
    counts = {"letter": 0, "answer": 0, "entry": 0}
    connection = db.session.connection()
    areas = _areas(connection)
    for kind, stmt, key, make in (
            ("letter", sa.select(Case).where(Case.type == "letter"), Case.id, None),
            ("answer", sa.select(CasePublication).where(CasePublication.published_at.is_not(None)),
             CasePublication.case_id, answer_doc),
            ("entry", sa.select(KnowledgeEntry), KnowledgeEntry.id, entry_doc)):
        last = 0
        while True:
            rows = db.session.scalars(stmt.where(key > last).order_by(key).limit(batch)).all()
            if not rows:
                break
            if make is None:  # letters, with the replies sent on them
                replies = sent_replies(db.session.connection(), [r.id for r in rows])
                docs = [letter_doc(r, areas, replies.get(r.id, [])) for r in rows]
            else:
                docs = [make(r) for r in rows]
            upsert(db.session.connection(), docs)
            db.session.commit()
            counts[kind] += len(rows)
            last = getattr(rows[-1], key.key)
    db.session.execute(sa.delete(TABLE).where(TABLE.c.kind == "answer", TABLE.c.ref_id.not_in(
        sa.select(CasePublication.case_id).where(CasePublication.published_at.is_not(None)))))
    db.session.commit()
    return counts
