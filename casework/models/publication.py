from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from workflows.clock import utcnow

from ..extensions import db
from .types import Json, UTCDateTime


class PublishedStats(db.Model):
    """A month's figures as they were published. Never changed: a correction is a new
    version with a note, and every version stays visible."""

    __tablename__ = "published_stats"
    __table_args__ = (sa.UniqueConstraint("period", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(7))  # YYYY-MM
    version: Mapped[int]
    note: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict[str, Any]] = mapped_column(Json)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


@event.listens_for(PublishedStats, "before_update")
@event.listens_for(PublishedStats, "before_delete")
def _immutable(mapper, connection, target) -> None:
    raise PermissionError("published statistics are immutable; publish a correction instead")
