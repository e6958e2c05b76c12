"""The database is the source of truth: repair whatever the scheduler lost.

Every few minutes (rq cron) and after any outage: mark what fell due unmarked, escalate
and remind what is due, and put back every future deadline job that Redis no longer
has (after a FLUSHALL, a restart without persistence, a lost enqueue)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from workflows.vocabulary import CLOCK_RUNNING

from ..extensions import db
from ..models import Case
from ..services import outbox, watch
from . import schedule
from .connection import queue

CHUNK = 10_000


def run(now: datetime) -> dict:
    report = {
        "backfilled": watch.backfill(),
        "reminded": len(watch.remind(now)),
        "overdue": len(watch.mark_overdue(now)),
        "escalated": len(watch.escalate(now)),
    }
    report["rescheduled"] = repair_schedule(now)
    if (due := outbox.next_due(now)) is not None:
        schedule.deliver_at(max(due, now))
    return report


def _future_jobs(row, now: datetime):
    if row.remind_at and row.reminded_at is None and row.remind_at > now:
        yield "remind", row.remind_at
    if not row.overdue and row.due_at > now:
        yield "overdue", row.due_at
    if row.escalated_at is None and row.escalate_at and row.escalate_at > now:
        yield "escalate", row.escalate_at


def repair_schedule(now: datetime) -> int:
    """Schedule the future jobs of running cases that are missing from RQ's scheduled
    registry; checked in batches with ZMSCORE, so 200,000 open cases cost a few round trips."""
    q = queue()
    registry_key = q.scheduled_job_registry.key
    columns = (Case.id, Case.due_at, Case.overdue, Case.remind_at, Case.reminded_at,
               Case.escalate_at, Case.escalated_at)
    repaired, last_id = 0, 0
    while True:
        rows = db.session.execute(sa.select(*columns).where(
            Case.state.in_(sorted(CLOCK_RUNNING)), Case.due_at.is_not(None), Case.id > last_id)
            .order_by(Case.id).limit(CHUNK)).all()
        if not rows:
            return repaired
        last_id = rows[-1].id
        wanted = [(r.id, kind, moment) for r in rows for kind, moment in _future_jobs(r, now)]
        if wanted:
            scores = q.connection.zmscore(registry_key, [schedule.job_id(*w) for w in wanted])
            for (case_id, kind, moment), score in zip(wanted, scores, strict=True):
                if score is None and schedule.add(case_id, kind, moment, q):
                    repaired += 1
