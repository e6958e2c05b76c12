"""What RQ runs. Each task reloads from the database and calls a service; the service's
guards make a late, repeated or superseded job harmless."""

from __future__ import annotations

from datetime import date, datetime

from rq import get_current_job

from workflows.errors import DomainError

from .. import clock
from ..extensions import db
from ..models import User
from ..services import handoffs, inspections, outbox, publication, watch
from .reconcile import run


def remind(case_id: int, remind_at: str) -> list[int]:
    return watch.remind(clock.now(), [case_id], datetime.fromisoformat(remind_at))


def mark_overdue(case_id: int, due_at: str) -> list[int]:
    return watch.mark_overdue(clock.now(), [case_id], datetime.fromisoformat(due_at))


def escalate(case_id: int, escalate_at: str) -> list[int]:
    now = clock.now()
    watch.mark_overdue(now, [case_id])  # in case that job was lost
    return watch.escalate(now, [case_id], datetime.fromisoformat(escalate_at))


def notify_handoffs(event_ids: list[int]) -> int:
    return handoffs.notify(event_ids, clock.now())


def reconcile() -> dict:
    return run(clock.now())


def deliver() -> int:
    return outbox.deliver_pending(clock.now())


def send_digests() -> int:
    return outbox.queue_digests(clock.now())


def publish_monthly():
    snap = publication.publish_due(clock.now())
    return f"{snap.period} v{snap.version}" if snap else None


def expire_knowledge() -> list[int]:
    """Daily: knowledge entries past their validity leave publication; the office and
    their units get the list."""
    from ..services import knowledge_upkeep
    return knowledge_upkeep.expire_due(clock.now())


def import_findings(user_id: int, content: bytes, filename: str, round_name: str, deadline: str,
                    inspected_on: str | None) -> dict:
    """A table of findings imported in the background, all or nothing; progress and a
    readable error go to the job's meta for the progress page."""
    job = get_current_job()

    def report(done: int, total: int) -> None:
        job.meta.update(done=done, total=total)
        job.save_meta()

    try:
        rnd, count = inspections.commit(db.session.get(User, user_id), content, filename, round_name,
                                        date.fromisoformat(deadline),
                                        date.fromisoformat(inspected_on) if inspected_on else None, report)
    except DomainError as exc:
        job.meta["error"] = exc.message + "".join(f" {m}" for m in getattr(exc, "fields", {}).values())
        job.save_meta()
        raise
    return {"round_id": rnd.id, "count": count}
