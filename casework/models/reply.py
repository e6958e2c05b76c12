from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import utcnow

from ..extensions import db
from .types import BigId, Json, UTCDateTime
from .user import User

# pending_approval → submitted → accepted | returned; pending_approval → draft_rejected
REPLY_STATUSES = ("pending_approval", "submitted", "draft_rejected", "accepted", "returned")


class Reply(db.Model):
    __tablename__ = "replies"
    __table_args__ = (sa.UniqueConstraint("case_id", "attempt"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, sa.ForeignKey("cases.id"), index=True)
    attempt: Mapped[int]
    body: Mapped[str] = mapped_column(sa.Text)  # public once accepted
    internal_note: Mapped[str | None] = mapped_column(sa.Text)  # never published
    status: Mapped[str] = mapped_column(sa.String(20))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Hints for the reviewer (never an automatic bounce): [{"kind", "reason"}].
    quality_flags: Mapped[list] = mapped_column(Json, default=list)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    review: Mapped[Review | None] = relationship(back_populates="reply", uselist=False)


class Review(db.Model):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    reply_id: Mapped[int] = mapped_column(BigId, sa.ForeignKey("replies.id"), unique=True)
    verdict: Mapped[str] = mapped_column(sa.String(8))  # accept | return
    reason: Mapped[str | None] = mapped_column(sa.String(20))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reply: Mapped[Reply] = relationship(back_populates="review")
    reviewer: Mapped[User] = relationship()


class ImproperPhrase(db.Model):
    """Words the office does not want in a reply (雷人雷语); the list is theirs to edit."""

    __tablename__ = "improper_phrases"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(sa.String(50), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
