from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import due_date_of

from ..extensions import db
from .types import BigId, UTCDateTime
from .user import User

DONE = sa.text("status = 'done'")


class Callback(db.Model):
    """The 12345 centre's follow-up call (回访) after a letter is closed: one row per
    closure. Its attempts and results are also on the case's timeline."""

    __tablename__ = "callbacks"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "round"),
        # The queue: calls still due, soonest first.
        sa.Index("ix_callbacks_due", "due_at", "id", postgresql_where=sa.text("status = 'due'"),
                 sqlite_where=sa.text("status = 'due'")),
        # The evaluation a case's figures read: its one completed call (a reopened case's
        # earlier call is 'reopened').
        sa.Index("ix_callbacks_done_case", "case_id", unique=True, postgresql_where=DONE,
                 sqlite_where=DONE),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, sa.ForeignKey("cases.id"))
    round: Mapped[int] = mapped_column(default=1)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_provisional: Mapped[bool] = mapped_column(default=False)
    # due | done | unreachable | reopened
    status: Mapped[str] = mapped_column(sa.String(16), default="due")
    attempts: Mapped[int] = mapped_column(default=0)
    resolved: Mapped[bool | None]
    satisfaction: Mapped[str | None] = mapped_column(sa.String(24))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    called_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The office's answer to 未解决 / 不满意: reopen | keep_closed.
    decision: Mapped[str | None] = mapped_column(sa.String(16))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    called_by: Mapped[User | None] = relationship()

    @property
    def due_date(self):
        return due_date_of(self.due_at)

    @property
    def needs_decision(self) -> bool:
        return self.status == "done" and self.decision is None and \
            (self.resolved is False or self.satisfaction == "unsatisfied")


class EvaluationExclusion(db.Model):
    """A request the office excluded from evaluation (不合理诉求), with its reason, which
    the published tables list."""

    __tablename__ = "evaluation_exclusions"

    case_id: Mapped[int] = mapped_column(BigId, sa.ForeignKey("cases.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
