"""How the office applies redaction to what it publishes: which names are public (units
and the office's allow list), what a reviewer restored on purpose (kept in the
publish_answer event, so a withdrawal and a new publication keep it), and masking a
letter's texts with all of that."""

from __future__ import annotations

import sqlalchemy as sa

from workflows.errors import Invalid

from ..extensions import db
from ..models import Case, CaseEvent, PublicName, Unit
from ..redaction import Finding, normal, redact
from .tx import transaction


def allowed_names() -> list[str]:
    units = db.session.execute(sa.select(Unit.name, Unit.short_name)).all()
    listed = db.session.scalars(sa.select(PublicName.name)).all()
    return sorted({n for row in units for n in row if n} | set(listed), key=len, reverse=True)


def public_names() -> list[str]:
    return db.session.scalars(sa.select(PublicName.name).order_by(PublicName.name)).all()


def allow(name: str) -> PublicName:
    name = (name or "").strip()
    if not 2 <= len(name) <= 64:
        raise Invalid({"name": "名称应为 2–64 个字。"})
    with transaction():
        row = db.session.scalar(sa.select(PublicName).where(PublicName.name == name))
        if row is None:
            row = PublicName(name=name)
            db.session.add(row)
    return row


def disallow(name: str) -> bool:
    with transaction():
        row = db.session.scalar(sa.select(PublicName).where(PublicName.name == (name or "").strip()))
        if row is not None:
            db.session.delete(row)
    return row is not None


def restored(case: Case) -> list[str]:
    """What a reviewer restored when the case was last published."""
    data = db.session.scalar(sa.select(CaseEvent.data).where(CaseEvent.case_id == case.id,
                                                              CaseEvent.event == "publish_answer")
                             .order_by(CaseEvent.id.desc()).limit(1))
    return list((data or {}).get("restored", []))


def people(case: Case, texts, allowed: list[str]) -> tuple[str, ...]:
    """Every other person's name found in any of the case's texts: a name the letter
    introduces (我父亲张德福) is masked in the reply too, where no cue precedes it."""
    found = {f.original for t in texts for f in redact(t or "", allowed=allowed)[1] if f.kind == "person"}
    return tuple(sorted(found, key=len, reverse=True))


def mask(case: Case, text: str, keep=(), allowed: list[str] | None = None,
         names: tuple[str, ...] = ()) -> tuple[str, list[Finding]]:
    allowed = allowed_names() if allowed is None else allowed
    return redact(text, (case.citizen_name or "",), (case.citizen_phone or "",),
                  allowed=allowed, keep=keep, others=names)


def mask_all(case: Case, texts: dict[str, str | None], context: tuple[str, ...] = ()) -> dict[str, str | None]:
    """Texts of a case masked as one publication would be: a person named in any of them or
    in `context` (e.g. the letter itself) is masked in all."""
    allowed = allowed_names()
    names = people(case, (*texts.values(), *context), allowed)
    return {key: None if text is None else mask(case, text, (), allowed, names)[0]
            for key, text in texts.items()}


def mask_submitted(case: Case, texts: dict[str, str], masked_in_preview: set[str]) -> tuple[dict[str, str], list[str]]:
    """The reviewer's texts masked for publication. A value the preview masked (or that was
    restored before) and that the reviewer typed back is kept as written; everything else
    is masked, however it got there. Returns the texts and the values kept."""
    allowed = allowed_names()
    keep = masked_in_preview | {normal(v) for v in restored(case)}
    names = people(case, texts.values(), allowed)
    out, kept = {}, set()
    for key, text in texts.items():
        out[key], _ = mask(case, text, keep, allowed, names)
        kept |= {normal(f.original) for f in mask(case, text, (), allowed, names)[1]} & keep
    return out, sorted(kept)
