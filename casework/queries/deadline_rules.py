"""The deadline rules in force, kept per process while the reference data stays the same
(casework/reference.py)."""

from __future__ import annotations

from workflows.deadlines import Rule

from ..extensions import db
from ..models import DeadlineRule
from ..reference import cached


def _load() -> tuple[Rule, ...]:
    rows = db.session.scalars(db.select(DeadlineRule).where(DeadlineRule.superseded_at.is_(None)))
    return tuple(row.to_rule() for row in rows)


def active_rules() -> list[Rule]:
    return list(cached("deadline_rules", _load))
