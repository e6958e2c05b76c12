from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import utcnow

from ..extensions import db
from .types import UTCDateTime
from .unit import Unit


class ReplyTemplate(db.Model):
    """答复模板: a reply's usual wording, a unit's own (`unit_id`) or the office's for every
    unit (None), with placeholders filled in when it is put into a draft."""

    __tablename__ = "reply_templates"
    __table_args__ = (sa.Index("ix_reply_templates_unit", "unit_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    title: Mapped[str] = mapped_column(sa.String(60))
    body: Mapped[str] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit | None] = relationship()
