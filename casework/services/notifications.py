"""Who hears about a deadline event, in the app and through the outbox."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from types import SimpleNamespace

import sqlalchemy as sa

from workflows.clock import due_date_of
from workflows.errors import Invalid
from workflows.vocabulary import ADMIN, NOTICE_KINDS, REVIEWER, UNIT_LEADER, UNIT_ROLES

from .. import clock
from ..events import UsersNotified
from ..extensions import db
from ..models import Case, EmailOptOut, Notification, Unit, User
from ..pipeline import emit
from . import outbox
from .bulk import insert_ignoring_duplicates
from .tx import transaction

MESSAGES = {
    "co_reminder": "【协办意见即将到期】{number}「{subject}」的协办意见请于 {due} 24:00 前提交。",
    "co_overdue": "【协办意见已超期】{number}「{subject}」的协办意见已超过期限（{due}），请尽快提交。",
    "reminder": "【即将到期】{number}「{subject}」将于 {due} 24:00 到期，请及时办理。",
    "overdue": "【已超期】{number}「{subject}」已超过办理期限（{due}），请尽快办理。",
    "escalated": "【列入督办】{number}「{subject}」超期仍未答复，已列入电子政务办公室督办。",
    "callback_poor": "【回访未解决或不满意】{number}「{subject}」回访结果为未解决或不满意，请决定重办或维持办结。",
}
# kind -> who besides the unit's own handlers and leaders
ALSO = {"reminder": (), "overdue": ("office",), "escalated": ("office", "superior"),
        "callback_poor": ("office",), "co_reminder": (), "co_overdue": ()}
CO_KINDS = frozenset({"co_reminder", "co_overdue"})


def email_opt_outs(user_ids=None) -> dict[int, frozenset[str]]:
    """user id -> the kinds of notice that user does not want by e-mail."""
    stmt = sa.select(EmailOptOut.user_id, EmailOptOut.kind)
    if user_ids is not None:
        stmt = stmt.where(EmailOptOut.user_id.in_(user_ids))
    out: dict[int, set[str]] = defaultdict(set)
    for user_id, kind in db.session.execute(stmt):
        out[user_id].add(kind)
    return {u: frozenset(k) for u, k in out.items()}


def _dedupe(kind: str, row) -> str:
    # Overdue and escalation happen once per case; a reminder once per due date.
    return f"{kind}:{row.id}:{int(row.due_at.timestamp())}" if kind == "reminder" else f"{kind}:{row.id}"


def _recipients(unit_ids: set[int], also: tuple[str, ...]):
    """unit id -> its members; the office; unit id -> its superior's leaders (or members)."""
    parents = _parents(unit_ids) if "superior" in also else {}
    members = defaultdict(list)
    for user, digest in db.session.execute(
            sa.select(User, Unit.notify_digest).join(Unit, User.unit_id == Unit.id)
            .where(User.active.is_(True), User.role.in_(UNIT_ROLES),
                   User.unit_id.in_(unit_ids | set(parents.values())))):
        members[user.unit_id].append((user, digest))
    office = [(u, False) for u in db.session.scalars(sa.select(User).where(
        User.active.is_(True), User.role.in_((REVIEWER, ADMIN))))] if also else []
    superiors = {}
    for unit_id, parent_id in parents.items():
        leaders = [m for m in members.get(parent_id, []) if m[0].role == UNIT_LEADER]
        superiors[unit_id] = leaders or members.get(parent_id, [])
    return members, office, superiors


def _parents(unit_ids: set[int]) -> dict[int, int]:
    if not unit_ids:
        return {}
    return dict(db.session.execute(sa.select(Unit.id, Unit.parent_id).where(
        Unit.id.in_(unit_ids), Unit.parent_id.is_not(None))).all())


SUMMARY = {
    "reminder": "【即将到期】本次共 {n} 件案件即将到期：{numbers}，请及时办理。",
    "overdue": "【已超期】本次共 {n} 件案件超过办理期限：{numbers}。",
    "escalated": "【列入督办】本次共 {n} 件超期案件列入督办：{numbers}。",
    "callback_poor": "【回访未解决或不满意】本次共 {n} 件：{numbers}。",
}
SHOWN = 10


def _summary(kind: str, rows) -> str:
    numbers = "、".join(r.number for r in rows[:SHOWN]) + ("等" if len(rows) > SHOWN else "")
    return SUMMARY[kind].format(n=len(rows), numbers=numbers)


def case_events(rows, kind: str, now: datetime) -> None:
    """Inside the caller's transaction: tell everyone concerned that `kind` happened to
    each case row (id, number, unit_id, due_at, subject), and queue outside deliveries.

    The unit (and for an escalation its superior) hears about each case; the office and
    the group webhook get one message per run, naming the cases: a reconciliation that
    marks thousands must not send thousands of messages to each reviewer."""
    if not rows:
        return
    members, office, superiors = _recipients({r.unit_id for r in rows}, ALSO[kind])
    muted = email_opt_outs()
    notes, mails = [], []

    def tell(user, digest, case_id, message, key):
        notes.append({"user_id": user.id, "case_id": case_id, "kind": kind, "message": message,
                      "dedupe_key": key, "created_at": now})
        if user.email and not digest and kind not in muted.get(user.id, ()):
            mails.append((user.email, message, f"{key}:{user.id}"))

    for r in rows:
        message = MESSAGES[kind].format(number=r.number, subject=r.subject, due=due_date_of(r.due_at))
        people = members.get(r.unit_id, []) + ((superiors.get(r.unit_id) or [])
                                                if "superior" in ALSO[kind] else [])
        for user, digest in {u.id: (u, d) for u, d in people}.values():
            tell(user, digest, r.id, message, _dedupe(kind, r))
    if kind in CO_KINDS:  # a co-unit's own deadline: no summary to the office's group
        insert_ignoring_duplicates(Notification.__table__, notes)
        emit(UsersNotified(frozenset(n["user_id"] for n in notes)))
        outbox.queue_messages(mails, [], now)
        return
    if len(rows) == 1:
        office_message, office_key, office_case = message, _dedupe(kind, rows[0]), rows[0].id
    else:
        office_message, office_case = _summary(kind, rows), None
        office_key = f"{kind}:run:{int(now.timestamp())}:{rows[0].id}"
    for user, digest in office:
        tell(user, digest, office_case, office_message, office_key)
    insert_ignoring_duplicates(Notification.__table__, notes)
    emit(UsersNotified(frozenset(n["user_id"] for n in notes)))
    outbox.queue_messages(mails, [(office_message, office_key)], now)


def co_unit_events(rows, kind: str, now: datetime) -> None:
    """Inside the caller's transaction: tell co-units (rows of case_id, unit_id, due_at)
    that their input is due soon or late; the deadline watch's texts and delivery rules."""
    if not rows:
        return
    cases = {c.id: c for c in db.session.execute(sa.select(Case.id, Case.number, Case.subject).where(
        Case.id.in_({r.case_id for r in rows})))}
    case_events([SimpleNamespace(id=r.case_id, number=cases[r.case_id].number,
                                 subject=cases[r.case_id].subject, unit_id=r.unit_id, due_at=r.due_at)
                 for r in rows], kind, now)


def set_email_kinds(user, kinds: set[str], offered) -> None:
    """Of the `offered` kinds of notice, those `user` also wants by e-mail (`kinds`); the
    others stay in the app only. Kinds not offered keep their setting."""
    if kinds - set(NOTICE_KINDS):
        raise Invalid({"kinds": "通知类型无效。"})
    offered = set(offered)
    with transaction():
        db.session.execute(sa.delete(EmailOptOut).where(EmailOptOut.user_id == user.id,
                                                        EmailOptOut.kind.in_(offered)))
        db.session.add_all(EmailOptOut(user_id=user.id, kind=k) for k in sorted(offered - kinds))


def mark_all_read(user_id: int) -> int:
    with transaction():
        result = db.session.execute(sa.update(Notification).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)).values(read_at=clock.now()))
        emit(UsersNotified(frozenset({user_id})))
    return result.rowcount
