from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import utcnow

from ..extensions import db
from .types import Json, UTCDateTime


class UserEvent(db.Model):
    """The audit trail of user administration (created, role changed, disabled, unlocked,
    password reset, sessions ended, signed out). Append-only, like case events."""

    __tablename__ = "user_events"
    __table_args__ = (sa.Index("ix_user_events_user", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(sa.String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)

    actor = relationship("User", foreign_keys=[actor_id])


@event.listens_for(UserEvent, "before_update")
@event.listens_for(UserEvent, "before_delete")
def _append_only(mapper, connection, target) -> None:
    raise PermissionError("user events are append-only")
