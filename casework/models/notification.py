from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import utcnow

from ..extensions import db
from .types import BigId, UTCDateTime


class Notification(db.Model):
    """An in-app message to one user. `dedupe_key` makes creating it idempotent: a job
    that runs twice cannot notify twice."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "dedupe_key"),
        sa.Index("ix_notifications_user_unread", "user_id", "read_at", "id"),
        # Reconciliation asks whether a case event's hand-off notices were written.
        sa.Index("ix_notifications_case_key", "case_id", "dedupe_key"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    case_id: Mapped[int | None] = mapped_column(BigId, sa.ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))  # reminder | overdue | escalated
    message: Mapped[str] = mapped_column(sa.Text)
    dedupe_key: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when an e-mail (single or digest) carried it.
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case = relationship("Case")


class Delivery(db.Model):
    """Outbox of messages leaving the system (e-mail, webhook). Written in the same
    transaction as what caused it, sent by a job that marks each row when it is out, so
    retries never send twice and a lost job loses nothing."""

    __tablename__ = "deliveries"
    __table_args__ = (
        sa.UniqueConstraint("dedupe_key"),
        sa.Index("ix_deliveries_pending", "sent_at", "not_before"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(10))  # email | webhook
    recipient: Mapped[str] = mapped_column(sa.String(500))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    dedupe_key: Mapped[str] = mapped_column(sa.String(150))
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)  # working hours only
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)


class EmailOptOut(db.Model):
    """A kind of notice (vocabulary.NOTICE_KINDS) this user does not want by e-mail; it
    still appears in the app. No row: the kind goes by e-mail (to users with an address)."""

    __tablename__ = "notice_email_opt_outs"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
