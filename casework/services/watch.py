"""Deadline watch: reminders, overdue marking and escalation to the office's 督办 list.

Each step is one guarded, set-based UPDATE: it changes exactly the cases that are due
now and not done yet, so a job that runs twice, late, on two workers at once, or for a
due date that has since moved, changes nothing the second time. Jobs pass the case and
the moment they were scheduled for; reconciliation passes neither and sweeps all.
The guards mirror the `mark_overdue` and `escalate` conditions of the workflow.
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa

from workflows import case_flow
from workflows.vocabulary import CLOCK_RUNNING

from ..extensions import db
from ..models import Case, CaseEvent
from ..models.types import UTCDateTime
from . import notifications
from .tx import after_commit, transaction

log = logging.getLogger(__name__)
RUNNING = sorted(case_flow.spec("mark_overdue").source)
CHUNK = 5000


def planned(case: Case) -> frozenset[tuple[str, datetime]]:
    """The deadline jobs this case needs now: (kind, moment)."""
    if case.state not in CLOCK_RUNNING or case.due_at is None:
        return frozenset()
    jobs = set()
    if case.remind_at and case.reminded_at is None:
        jobs.add(("remind", case.remind_at))
    if not case.overdue:
        jobs.add(("overdue", case.due_at))
    if case.escalated_at is None and case.escalate_at is not None:
        jobs.add(("escalate", case.escalate_at))
    return frozenset(jobs)


def reschedule_after_commit(case: Case, before: frozenset) -> None:
    after = planned(case)
    if after != before:
        from ..jobs import schedule
        # The id is read after commit (a new case has none before the flush) from the
        # identity key, which does not reload the expired row.
        after_commit(lambda: schedule.sync(sa.inspect(case).identity[0], before, after))


def _filters(case_ids, column, moment) -> list:
    where = []
    if case_ids is not None:
        where.append(Case.id.in_(case_ids))
    if moment is not None:
        where.append(column == moment)
    return where


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
    stmt = (sa.update(Case)
            .where(Case.state.in_(RUNNING), Case.due_at <= now, Case.overdue.is_(False),
                   *_filters(case_ids, Case.due_at, due_at))
            .values(overdue=True, overdue_at=Case.due_at, version=Case.version + 1, updated_at=now))
    with transaction():
        rows = _returning(stmt)
        _record(rows, "mark_overdue", now)
        notifications.case_events(rows, "overdue", now)
    return [r.id for r in rows]


def escalate(now: datetime, case_ids=None, escalate_at: datetime | None = None) -> list[int]:
    """Put overdue cases still unanswered N working days later on the 督办 list, once."""
    stmt = (sa.update(Case)
            .where(Case.state.in_(RUNNING), Case.overdue.is_(True), Case.escalated_at.is_(None),
                   Case.escalate_at <= now, *_filters(case_ids, Case.escalate_at, escalate_at))
            .values(escalated_at=now, version=Case.version + 1, updated_at=now))
    with transaction():
        rows = _returning(stmt)
        _record(rows, "escalate", now)
        notifications.case_events(rows, "escalated", now)
    return [r.id for r in rows]


def remind(now: datetime, case_ids=None, remind_at: datetime | None = None) -> list[int]:
    """Remind units of cases due at the end of the next working day, once per clock.
    A reminder is not a change of the case: no version bump, no case event."""
    stmt = (sa.update(Case)
            .where(Case.state.in_(RUNNING), Case.remind_at <= now, Case.reminded_at.is_(None),
                   Case.due_at > now, *_filters(case_ids, Case.remind_at, remind_at))
            .values(reminded_at=now))
    with transaction():
        rows = _returning(stmt)
        notifications.case_events(rows, "reminder", now)
    return [r.id for r in rows]


def backfill(limit: int = CHUNK) -> int:
    """Give running cases from before the watch existed their reminder/escalation moments."""
    from . import deadlines

    ids = db.session.scalars(sa.select(Case.id).where(
        Case.state.in_(RUNNING), Case.due_at.is_not(None), Case.escalate_at.is_(None)).limit(limit)).all()
    if not ids:
        return 0
    with transaction():
        for case in db.session.scalars(sa.select(Case).where(Case.id.in_(ids))):
            deadlines.set_watch(case)
    return len(ids)
