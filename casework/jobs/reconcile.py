"""The database is the source of truth: repair whatever the scheduler lost.

Every few minutes (rq cron) and after any outage: mark what fell due unmarked, escalate
and remind what is due, and put back every future deadline job that Redis no longer
has (after a FLUSHALL, a restart without persistence, a lost enqueue)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime

import sqlalchemy as sa

from workflows.vocabulary import CLOCK_RUNNING
from workflows.watch import STEPS

from ..extensions import db
from ..models import Case
from ..models.case import state_in
from ..services import co_handling, handoffs, outbox, watch
from . import schedule
from .connection import queue

CHUNK = 20_000
log = logging.getLogger(__name__)


def run(now: datetime) -> dict:
    """Every step runs even if an earlier one fails (each commits on its own): a broken
    reminder must not stop overdue marking. A failure is raised at the end, so the job
    shows as failed in RQ."""
    steps = {
        "backfilled": watch.backfill,
        "reminded": lambda: len(watch.remind(now)),
        "overdue": lambda: len(watch.mark_overdue(now)),
        "escalated": lambda: len(watch.escalate(now)),
        "rescheduled": lambda: repair_schedule(now),
        # Co-units are few: the sweep every few minutes is their deadline job.
        "co_reminded": lambda: co_handling.remind_due(now),
        "co_late": lambda: co_handling.mark_late(now),
        "handoff_notices": lambda: handoffs.sweep(now),
    }
    report, failed = {}, []
    for name, step in steps.items():
        try:
            report[name] = step()
        except Exception as exc:
            db.session.rollback()
            log.exception("reconciliation step %s failed", name)
            failed.append(exc)
    if (due := outbox.next_due()) is not None:
        schedule.deliver_at(max(due, now))
    if failed:
        raise failed[0]
    return report


def _job_id(kind: str, moment) -> sa.ColumnElement:
    """schedule.job_id() written in SQL, so the ids come out of the database ready."""
    epoch = sa.cast(sa.cast(sa.extract("epoch", moment), sa.BigInteger), sa.String)
    return sa.literal("case-") + sa.cast(Case.id, sa.String) + sa.literal(f"-{kind}-") + epoch


def expected_jobs(now: datetime) -> Iterator[list[str]]:
    """Ids of the future jobs every running case needs, in chunks of one streamed query
    (running cases are a partial index: no pass over the closed history)."""
    columns = [sa.case((sa.and_(getattr(Case, step.moment) > now, watch.pending(step, now)),
                        _job_id(step.kind, getattr(Case, step.moment)))) for step in STEPS]
    # The partial index's own predicate, literally: the planner uses it, no list parameter.
    stmt = sa.select(*columns).where(state_in(CLOCK_RUNNING), Case.due_at.is_not(None))
    # A plain DB-API cursor: 200,000 rows of ready-made strings need no Row objects
    # (three times faster here). The parameters still go through their column types.
    connection = db.session.connection()
    compiled = stmt.compile(connection)
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(str(compiled), _driver_params(compiled, connection.dialect))
        while rows := cursor.fetchmany(CHUNK):
            yield [job for row in rows for job in row if job is not None]
    finally:
        cursor.close()


def _driver_params(compiled, dialect):
    values = {}
    for name, value in compiled.params.items():
        processor = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
        values[name] = processor(value) if processor else value
    if compiled.positiontup is not None:
        return tuple(values[name] for name in compiled.positiontup)
    return values


def repair_schedule(now: datetime) -> int:
    """Schedule the future jobs of running cases that are missing from RQ's scheduled
    registry; checked in batches with ZMSCORE, so 200,000 open cases cost a few round trips."""
    q = queue()
    registry_key = q.scheduled_job_registry.key
    repaired = 0
    for ids in expected_jobs(now):
        if not ids:
            continue
        missing = [schedule.parse_job_id(job) for job, score in
                   zip(ids, q.connection.zmscore(registry_key, ids), strict=True) if score is None]
        if missing:
            repaired += schedule.add_many(missing, q)
    return repaired
