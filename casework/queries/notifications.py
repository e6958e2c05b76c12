"""The notifications page and the navigation's unread badge."""

from __future__ import annotations

import sqlalchemy as sa

from workflows.notices import OFFICE_SIDE, UNIT_SIDE
from workflows.vocabulary import NOTICE_KINDS, UNIT_ROLES

from ..extensions import db
from ..models import EmailOptOut, Notification

UNREAD_CAP = 100  # the badge says "99+" beyond this; counting further costs every page


def unread_count(user_id: int) -> int:
    unread = sa.select(Notification.id).where(Notification.user_id == user_id,
                                              Notification.read_at.is_(None)).limit(UNREAD_CAP)
    return db.session.scalar(sa.select(sa.func.count()).select_from(unread.subquery()))


def recent(user_id: int, limit: int = 100) -> list[Notification]:
    return db.session.scalars(sa.select(Notification).where(Notification.user_id == user_id)
                              .order_by(Notification.id.desc()).limit(limit)).all()


def email_preferences(user) -> list[tuple[str, str, bool]]:
    """(kind, label, also by e-mail) for every kind of notice this user can receive."""
    muted = set(db.session.scalars(sa.select(EmailOptOut.kind).where(EmailOptOut.user_id == user.id)))
    kinds = UNIT_SIDE if user.role in UNIT_ROLES else OFFICE_SIDE
    return [(k, NOTICE_KINDS[k], k not in muted) for k in kinds]
