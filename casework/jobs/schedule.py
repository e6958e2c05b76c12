"""Putting deadline jobs on the RQ scheduler, with deterministic ids.

A job id names the case, the kind and the moment, so scheduling the same thing twice is
refused by RQ (`unique=True`) and moving a due date cancels exactly the old jobs. Called
after commit; if Redis is unreachable the change is kept and reconciliation reschedules.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from redis.exceptions import RedisError
from rq import Retry
from rq.defaults import RQ_KEY_PREFIX
from rq.exceptions import DuplicateJobError
from rq.job import Job, JobStatus
from rq.scripts import _build_hset_args, get_unique_schedule_script

from workflows.notices import EVENTS as HANDOFF_EVENTS

from ..events import CaseEventRecorded, DeliveriesQueued
from ..pipeline import Batch
from .connection import queue

log = logging.getLogger(__name__)

TASKS = {
    "remind": "casework.jobs.tasks.remind",
    "overdue": "casework.jobs.tasks.mark_overdue",
    "escalate": "casework.jobs.tasks.escalate",
}
DELIVERY_RETRY = Retry(max=3, interval=[60, 300, 900])


def job_id(case_id: int, kind: str, moment: datetime) -> str:
    return f"case-{case_id}-{kind}-{int(moment.timestamp())}"


def parse_job_id(value: str) -> tuple[int, str, datetime]:
    _, case_id, kind, epoch = value.split("-")
    return int(case_id), kind, datetime.fromtimestamp(int(epoch), UTC)


def _enqueue_at(q, moment: datetime, func: str, *args, job_id: str, **kw) -> bool:
    try:
        q.enqueue_at(moment, func, *args, job_id=job_id, unique=True, result_ttl=600, **kw)
        return True
    except DuplicateJobError:
        return False


def _add_to(pipe, q, jobs: Iterable[tuple[int, str, datetime]]) -> None:
    """Queue the unique-schedule script for each job on `pipe`: the same Lua script as
    `enqueue_at(..., unique=True)` (atomic: check, save, register)."""
    script = get_unique_schedule_script(q.connection)
    registry_key = q.scheduled_job_registry.key
    for case_id, kind, moment in jobs:
        job = q.create_job(TASKS[kind], args=(case_id, moment.isoformat()), status=JobStatus.SCHEDULED,
                           job_id=job_id(case_id, kind, moment), result_ttl=600)
        script(keys=[job.key, registry_key, f"{RQ_KEY_PREFIX}:queues"],
               args=[job.id, job.ttl if job.ttl is not None else -1,
                     int(moment.timestamp()), q.key, *_build_hset_args(job)],
               client=pipe)


def add_many(jobs: Iterable[tuple[int, str, datetime]], q=None) -> int:
    """Schedule deadline jobs (case id, kind, moment) in one round trip; those already
    scheduled are left alone. Returns how many were added (an intake schedules three
    jobs, a reconciliation thousands)."""
    q = q or queue()
    pipe = q.connection.pipeline(transaction=False)
    _add_to(pipe, q, jobs)
    return sum(pipe.execute())


def _unschedule(q, ids: list[str]) -> list[str]:
    """Take jobs off the schedule (and off the queue if the scheduler already moved them
    there) in one round trip; returns the ids that were still waiting. A job that no
    longer exists is simply not found: fetching and deleting each job instead raised
    InvalidJobOperation for a job whose hash vanished in between, and left the id of an
    expired one in the registry."""
    pipe = q.connection.pipeline(transaction=False)
    for jid in ids:
        pipe.zrem(q.scheduled_job_registry.key, jid)
        pipe.lrem(q.key, 0, jid)
    found = pipe.execute()
    return [jid for jid, scheduled, queued in zip(ids, found[::2], found[1::2], strict=True)
            if scheduled or queued]


def sync(case_id: int, before: frozenset, after: frozenset) -> None:
    """After commit: cancel the jobs the case no longer needs, add the new ones, in two
    round trips. A job that has already started or finished is left alone: its task
    checks the case and does nothing for a moment that no longer applies."""
    try:
        q = queue()
        gone = [job_id(case_id, kind, moment) for kind, moment in before - after]
        removed = _unschedule(q, gone) if gone else []
        added = after - before
        if not removed and not added:
            return
        pipe = q.connection.pipeline(transaction=False)
        if removed:
            pipe.delete(*(Job.key_for(jid) for jid in removed))
        _add_to(pipe, q, ((case_id, kind, moment) for kind, moment in added))
        pipe.execute()
    except RedisError as exc:
        log.warning("could not schedule deadline jobs of case %s (reconciliation will): %s", case_id, exc)


def on_commit(batch: Batch) -> None:
    """Pipeline subscriber: the deadline jobs of every case whose clock moved, and a
    delivery run for messages the batch put in the outbox."""
    for change in batch.case_changes().values():
        if change.jobs_before != change.jobs_after:
            sync(change.case_id, change.jobs_before, change.jobs_after)
    for moment in sorted({d.not_before for d in batch.of(DeliveriesQueued)}):
        deliver_at(moment)


def deliver_at(moment: datetime) -> None:
    """One delivery run per minute at most; it sends everything due by then."""
    try:
        bucket = int(moment.timestamp()) // 60
        _enqueue_at(queue(), moment, "casework.jobs.tasks.deliver", job_id=f"deliver-{bucket}",
                    retry=DELIVERY_RETRY)
    except RedisError as exc:
        log.warning("could not schedule a delivery run (reconciliation will): %s", exc)


def notify_handoffs(batch: Batch) -> None:
    """Pipeline subscriber: a job writes the notices of the batch's hand-offs (派单, 退单,
    待审签 …: workflows/notices.py). If Redis is unreachable, reconciliation's sweep writes them."""
    ids = sorted(e.event_id for e in batch.of(CaseEventRecorded) if e.event in HANDOFF_EVENTS)
    if not ids:
        return
    try:
        queue().enqueue("casework.jobs.tasks.notify_handoffs", ids, job_id=f"handoff-{ids[0]}-{ids[-1]}",
                        result_ttl=600, retry=DELIVERY_RETRY)
    except RedisError as exc:
        log.warning("could not queue the notices of case events %s (reconciliation will): %s", ids, exc)
