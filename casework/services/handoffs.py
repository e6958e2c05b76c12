"""Notices of hand-offs (workflows/notices.py), written after the event commits.

The after-commit pipeline hands the ids of committed hand-off events to a job
(jobs/schedule.notify_handoffs); reconciliation runs `sweep` for events whose notices a
lost job never wrote. Both call `notify`, which is idempotent: each notice and each
e-mail has a key naming the event, so running it twice writes nothing new."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflows.clock import due_date_of
from workflows.notices import (
    ASSIGNERS,
    CENTRE,
    CO_UNITS,
    EVENTS,
    LEADERS,
    OFFICE,
    UNIT,
    handoffs_of,
)
from workflows.vocabulary import (
    ADMIN,
    DISPATCHER,
    RETURN_REASONS,
    REVIEWER,
    UNIT_LEADER,
    UNIT_ROLES,
)

from ..events import UsersNotified
from ..extensions import db
from ..models import Case, CaseEvent, Notification, Unit, User
from ..pipeline import emit
from . import outbox
from .bulk import insert_ignoring_duplicates
from .notifications import email_opt_outs
from .tx import transaction

SWEEP_WINDOW = timedelta(days=7)


def key_of(event_id: int, kind: str) -> str:
    return f"handoff:{event_id}:{kind}"


def notify(event_ids: Iterable[int], now: datetime) -> int:
    """Write the notices (and queue the e-mails and webhook posts) of these case events;
    returns how many notices were new or already there."""
    ids = sorted(set(event_ids))
    if not ids:
        return 0
    with transaction():
        events = db.session.scalars(sa.select(CaseEvent).where(
            CaseEvent.id.in_(ids), CaseEvent.event.in_(EVENTS))
            .options(joinedload(CaseEvent.case).joinedload(Case.unit)).order_by(CaseEvent.id)).all()
        notes, mails, hooks = [], [], []
        people = _People()
        for entry in events:
            for handoff in handoffs_of(entry.event, entry.case.type, entry.data or {}):
                key = key_of(entry.id, handoff.kind)
                for user, digest, text in _addressed(handoff.to, handoff.text, entry, people):
                    notes.append({"user_id": user.id, "case_id": entry.case_id, "kind": handoff.kind,
                                  "message": text, "dedupe_key": key, "created_at": now})
                    if user.email and not digest and handoff.kind not in people.opt_outs(user.id):
                        mails.append((user.email, text, f"{key}:{user.id}"))
                if handoff.to in CENTRE:
                    hooks.append((_text(handoff.text, entry), key))
        insert_ignoring_duplicates(Notification.__table__, notes)
        if notes:
            emit(UsersNotified(frozenset(n["user_id"] for n in notes)))
        outbox.queue_messages(mails, hooks, now)
    return len(notes)


def sweep(now: datetime) -> int:
    """Reconciliation: the hand-offs of the last week that have no notice yet."""
    noticed = sa.exists().where(Notification.case_id == CaseEvent.case_id,
                                Notification.dedupe_key.like(
                                    sa.literal("handoff:") + sa.cast(CaseEvent.id, sa.String) + sa.literal(":%")))
    ids = db.session.scalars(sa.select(CaseEvent.id).where(
        CaseEvent.event.in_(EVENTS), CaseEvent.at >= now - SWEEP_WINDOW, ~noticed)).all()
    notify(ids, now)
    return len(ids)


class _People:
    """Recipients looked up once per run."""

    def __init__(self) -> None:
        self._members: dict[int, list[tuple[User, bool]]] = {}
        self._roles: dict[tuple[str, ...], list[tuple[User, bool]]] = {}
        self._opt_outs: dict[int, frozenset[str]] | None = None
        self._units: dict[str, int] = {}

    def members(self, unit_id: int | None, leaders_only: bool = False) -> list[tuple[User, bool]]:
        if unit_id is None:
            return []
        if unit_id not in self._members:
            self._members[unit_id] = db.session.execute(
                sa.select(User, Unit.notify_digest).join(Unit, User.unit_id == Unit.id).where(
                    User.active.is_(True), User.role.in_(UNIT_ROLES), User.unit_id == unit_id)).all()
        return [m for m in self._members[unit_id] if not leaders_only or m[0].role == UNIT_LEADER]

    def unit_id(self, code: str) -> int | None:
        if code not in self._units:
            self._units[code] = db.session.scalar(sa.select(Unit.id).where(Unit.code == code))
        return self._units[code]

    def with_roles(self, *roles: str) -> list[tuple[User, bool]]:
        if roles not in self._roles:
            self._roles[roles] = [(u, False) for u in db.session.scalars(sa.select(User).where(
                User.active.is_(True), User.role.in_(roles)))]
        return self._roles[roles]

    def opt_outs(self, user_id: int) -> frozenset[str]:
        if self._opt_outs is None:
            self._opt_outs = email_opt_outs()
        return self._opt_outs.get(user_id, frozenset())


def _addressed(to: str, template: str, entry: CaseEvent, people: _People):
    """(user, unit sends digests, text) for each recipient of one hand-off."""
    case, data = entry.case, entry.data or {}
    if to == CO_UNITS:
        for co in data.get("co_units") or ():
            text = _text(template, entry, co_due=co["due_date"])
            for user, digest in people.members(people.unit_id(co["code"])):
                yield user, digest, text
        return
    text = _text(template, entry)
    if to == UNIT:
        unit_id = people.unit_id(data["unit"]) if data.get("unit") else case.unit_id
        recipients = people.members(unit_id)
    elif to == LEADERS:
        recipients = people.members(case.unit_id, leaders_only=True)
    elif to == ASSIGNERS:
        recipients = people.with_roles(DISPATCHER) if case.type == "letter" else people.with_roles(REVIEWER, ADMIN)
    elif to == OFFICE:
        recipients = people.with_roles(REVIEWER, ADMIN)
    else:
        raise AssertionError(to)
    for user, digest in recipients:
        yield user, digest, text


def _text(template: str, entry: CaseEvent, **extra: Any) -> str:
    case, data = entry.case, entry.data or {}
    due_at = datetime.fromisoformat(data["due_at"]) if data.get("due_at") else case.due_at
    due = due_date_of(due_at).isoformat() if due_at else "—"
    decision = (f"已批准，新的办理期限为 {due}" if data.get("approved") else "未获批准") \
        if "approved" in data else ""
    values = {"number": case.number, "subject": case.subject,
              "unit_name": data.get("unit_name") or (case.unit.name if case.unit else ""),
              "comment": entry.comment or "（未说明）", "due": due,
              "reason": RETURN_REASONS.get(data.get("reason"), "—"), "days": data.get("days", "—"),
              "decision": decision, "co_due": "—", **extra}
    return template.format(**values)
