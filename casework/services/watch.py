"""Deadline watch: reminders, overdue marking and escalation to the office's 督办 list.

Each step is one guarded, set-based UPDATE: it changes exactly the cases that are due
now and not done yet, so a job that runs twice, late, on two workers at once, or for a
due date that has since moved, changes nothing the second time. Jobs pass the case and
the moment they were scheduled for; reconciliation passes neither and sweeps all.
The WHERE and SET clauses are built from the steps declared in workflows/watch.py, the
one statement of these rules.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from workflows import watch as rules
from workflows.vocabulary import CLOCK_RUNNING

from ..extensions import db
from ..models import Case, CaseEvent
from ..models.types import UTCDateTime
from . import deadlines, notifications
from .tx import transaction

log = logging.getLogger(__name__)
RUNNING = sorted(CLOCK_RUNNING)
CHUNK = 5000


def sql_value(value: Any, now: datetime) -> Any:
    if value is rules.NOW:
        return sa.literal(now, UTCDateTime)
    if isinstance(value, rules.Column):
        return getattr(Case, value.name)
    return value


def sql_test(test: rules.Test, now: datetime) -> sa.ColumnElement:
    column, value = getattr(Case, test.column), sql_value(test.value, now)
    if test.op == "is":
        return column.is_(value)
    return column <= value if test.op == "<=" else column > value


def pending(step: rules.Step, now: datetime) -> sa.ColumnElement:
    """SQL: the step has not happened yet (reconciliation's expected jobs)."""
    return sa.and_(*(sql_test(t, now) for t in step.pending))


def _run(step: rules.Step, now: datetime, case_ids, moment: datetime | None) -> list[int]:
    moment_column = getattr(Case, step.moment)
    where = [Case.state.in_(RUNNING), moment_column <= now,
             *(sql_test(t, now) for t in (*step.pending, *step.guard))]
    if case_ids is not None:
        where.append(Case.id.in_(case_ids))
    if moment is not None:
        where.append(moment_column == moment)
    values = {name: sql_value(value, now) for name, value in step.sets}
    if step.bumps_version:
        values |= {"version": Case.version + 1, "updated_at": now}
    with transaction():
        rows = _returning(sa.update(Case).where(*where).values(values))
        if step.record:
            _record(rows, step.record.name, now)
        notifications.case_events(rows, step.notify, now)
    return [r.id for r in rows]


def _returning(stmt) -> list:
    return db.session.execute(stmt.returning(Case.id, Case.number, Case.state, Case.unit_id,
                                             Case.due_at, Case.subject),
                              execution_options={"synchronize_session": False}).all()


_JSON_OBJECT = {"postgresql": sa.func.jsonb_build_object, "sqlite": sa.func.json_object}


def _record(rows, event: str, now: datetime) -> None:
    """The system's audit events for the changed cases, written set-based by the database."""
    for start in range(0, len(rows), CHUNK):
        ids = [r.id for r in rows[start:start + CHUNK]]
        json_object = _JSON_OBJECT[db.session.get_bind().dialect.name]
        db.session.execute(sa.insert(CaseEvent.__table__).from_select(
            ["case_id", "event", "from_state", "to_state", "at", "data"],
            sa.select(Case.id, sa.literal(event), Case.state, Case.state, sa.literal(now, UTCDateTime),
                      json_object("due_at", Case.due_at)).where(Case.id.in_(ids))))


def mark_overdue(now: datetime, case_ids=None, due_at: datetime | None = None) -> list[int]:
    """Mark running cases whose due moment has passed (超期), once."""
    return _run(rules.OVERDUE, now, case_ids, due_at)


def escalate(now: datetime, case_ids=None, escalate_at: datetime | None = None) -> list[int]:
    """Put overdue cases still unanswered N working days later on the 督办 list, once."""
    return _run(rules.ESCALATE, now, case_ids, escalate_at)


def remind(now: datetime, case_ids=None, remind_at: datetime | None = None) -> list[int]:
    """Remind units of cases due at the end of the next working day, once per clock.
    A reminder is not a change of the case: no version bump, no case event."""
    return _run(rules.REMIND, now, case_ids, remind_at)


def backfill(limit: int = CHUNK) -> int:
    """Give running cases from before the watch existed their reminder/escalation moments."""
    ids = db.session.scalars(sa.select(Case.id).where(
        Case.state.in_(RUNNING), Case.due_at.is_not(None), Case.escalate_at.is_(None)).limit(limit)).all()
    if not ids:
        return 0
    with transaction():
        for case in db.session.scalars(sa.select(Case).where(Case.id.in_(ids))):
            deadlines.set_watch(case)
    return len(ids)
