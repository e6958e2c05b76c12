"""The notifications page and the navigation's unread badge."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Notification

UNREAD_CAP = 100  # the badge says "99+" beyond this; counting further costs every page


def unread_count(user_id: int) -> int:
    unread = sa.select(Notification.id).where(Notification.user_id == user_id,
                                              Notification.read_at.is_(None)).limit(UNREAD_CAP)
    return db.session.scalar(sa.select(sa.func.count()).select_from(unread.subquery()))


def recent(user_id: int, limit: int = 100) -> list[Notification]:
    return db.session.scalars(sa.select(Notification).where(Notification.user_id == user_id)
                              .order_by(Notification.id.desc()).limit(limit)).all()
