"""How the office masks a case's texts for the public, read-only: which names are public
(units and the office's allow list), what a reviewer restored on purpose (kept in the
publish_answer event, so a withdrawal and a new publication keep it), and masking a
letter's texts with all of that. Publication (services/redaction_policy.py) and the
writer's progress page both mask through here."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Case, CaseEvent, PublicName, Unit
from ..redaction import Finding, redact


def allowed_names() -> list[str]:
    units = db.session.execute(sa.select(Unit.name, Unit.short_name)).all()
    listed = db.session.scalars(sa.select(PublicName.name)).all()
    return sorted({n for row in units for n in row if n} | set(listed), key=len, reverse=True)


def public_names() -> list[str]:
    return db.session.scalars(sa.select(PublicName.name).order_by(PublicName.name)).all()


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
