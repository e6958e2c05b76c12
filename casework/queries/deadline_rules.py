"""The deadline rules in force, read once per app context (a request or a job)."""

from __future__ import annotations

from flask import g, has_app_context

from workflows.deadlines import Rule

from ..events import RulesChanged
from ..extensions import db
from ..models import DeadlineRule
from ..pipeline import Batch


def active_rules() -> list[Rule]:
    if has_app_context() and "deadline_rules" in g:
        return g.deadline_rules
    rows = db.session.scalars(db.select(DeadlineRule).where(DeadlineRule.superseded_at.is_(None)))
    rules = [row.to_rule() for row in rows]
    if has_app_context():
        g.deadline_rules = rules
    return rules


def on_commit(batch: Batch) -> None:
    """Pipeline subscriber: rules read in this context are stale once a change to them
    commits (other processes read them anew with each request or job)."""
    if batch.has(RulesChanged) and has_app_context():
        g.pop("deadline_rules", None)
