"""The daily job: entries past their `valid_until` leave publication, and the office and
the responsible units get the list. Search already stops suggesting them on the day they
expire (it filters on the date), so a late or lost job only delays the list."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from workflows.clock import local_date
from workflows.vocabulary import ADMIN, REVIEWER, UNIT_ROLES

from ..events import UsersNotified
from ..extensions import db
from ..models import KnowledgeEntry, Notification, User
from ..permissions import SYSTEM_ACTOR
from ..pipeline import emit
from .bulk import insert_ignoring_duplicates
from .knowledge import record_version
from .tx import transaction

SHOWN = 10


def expire_due(now: datetime) -> list[int]:
    """Mark published entries whose validity ended before today as expired, record a
    version for each, and notify; returns their ids. Running it twice changes nothing."""
    today = local_date(now)
    with transaction():
        entries = db.session.scalars(sa.select(KnowledgeEntry).where(
            KnowledgeEntry.state == "published", KnowledgeEntry.valid_until < today)
            .order_by(KnowledgeEntry.id).with_for_update(skip_locked=True)).all()
        for entry in entries:
            entry.state, entry.updated_at = "expired", now
            record_version(entry, SYSTEM_ACTOR, "expire", now, f"有效期至 {entry.valid_until:%Y-%m-%d}")
        _notify(entries, now)
    return [e.id for e in entries]


def _message(entries: list[KnowledgeEntry]) -> str:
    listed = "；".join(f"#{e.id}「{e.question[:30]}」" for e in entries[:SHOWN])
    more = f"等 {len(entries)} 条" if len(entries) > SHOWN else f"共 {len(entries)} 条"
    return f"【知识库到期】以下条目已过有效期，不再向群众和承办单位推荐，请更新或撤回：{listed}（{more}）。"


def _notify(entries: list[KnowledgeEntry], now: datetime) -> None:
    if not entries:
        return
    key = f"knowledge_expired:{entries[0].id}:{entries[-1].id}:{len(entries)}"
    office = db.session.scalars(sa.select(User.id).where(User.active.is_(True), User.role.in_((REVIEWER, ADMIN)))).all()
    rows = [{"user_id": u, "case_id": None, "kind": "knowledge", "message": _message(entries),
             "dedupe_key": key, "created_at": now} for u in office]
    by_unit: dict[int, list[KnowledgeEntry]] = {}
    for e in entries:
        for unit_id in {e.unit_id, e.owner_unit_id} - {None}:
            by_unit.setdefault(unit_id, []).append(e)
    if by_unit:
        for user_id, unit_id in db.session.execute(sa.select(User.id, User.unit_id).where(
                User.active.is_(True), User.role.in_(UNIT_ROLES), User.unit_id.in_(by_unit))):
            rows.append({"user_id": user_id, "case_id": None, "kind": "knowledge",
                         "message": _message(by_unit[unit_id]), "dedupe_key": key, "created_at": now})
    insert_ignoring_duplicates(Notification.__table__, rows)
    emit(UsersNotified(frozenset(r["user_id"] for r in rows)))


def expired(limit: int = 500) -> list[KnowledgeEntry]:
    return db.session.scalars(sa.select(KnowledgeEntry).where(KnowledgeEntry.state == "expired")
                              .order_by(KnowledgeEntry.valid_until.desc(), KnowledgeEntry.id).limit(limit)).all()
