from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.clock import utcnow

from ..extensions import db
from .types import BigId, UTCDateTime


class ReplyDraft(db.Model):
    """What a user has typed into a case's reply form but not submitted yet."""

    __tablename__ = "reply_drafts"
    __table_args__ = (sa.UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, sa.ForeignKey("cases.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
