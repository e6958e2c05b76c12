"""Putting deadline jobs on the RQ scheduler, with deterministic ids.

A job id names the case, the kind and the moment, so scheduling the same thing twice is
refused by RQ (`unique=True`) and moving a due date cancels exactly the old jobs. Called
after commit; if Redis is unreachable the change is kept and reconciliation reschedules.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime

from redis.exceptions import RedisError
from rq import Retry
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job

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


def add(case_id: int, kind: str, moment: datetime, q=None) -> bool:
    q = q or queue()
    return _enqueue_at(q, moment, TASKS[kind], case_id, moment.isoformat(),
                       job_id=job_id(case_id, kind, moment))


def cancel(case_id: int, kind: str, moment: datetime, q=None) -> None:
    q = q or queue()
    with contextlib.suppress(NoSuchJobError):
        Job.fetch(job_id(case_id, kind, moment), connection=q.connection).delete()


def sync(case_id: int, before: frozenset, after: frozenset) -> None:
    """After commit: cancel the jobs the case no longer needs, add the new ones."""
    try:
        q = queue()
        for kind, moment in before - after:
            cancel(case_id, kind, moment, q)
        for kind, moment in after - before:
            add(case_id, kind, moment, q)
    except RedisError as exc:
        log.warning("could not schedule deadline jobs of case %s (reconciliation will): %s", case_id, exc)


def deliver_at(moment: datetime) -> None:
    """One delivery run per minute at most; it sends everything due by then."""
    try:
        bucket = int(moment.timestamp()) // 60
        _enqueue_at(queue(), moment, "casework.jobs.tasks.deliver", job_id=f"deliver-{bucket}",
                    retry=DELIVERY_RETRY)
    except RedisError as exc:
        log.warning("could not schedule a delivery run (reconciliation will): %s", exc)
