"""Who works on a case besides its lead unit: co-units (协办) and the lead's 退单 reviews."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import due_date_of

from ..extensions import db
from .types import BigId, UTCDateTime
from .unit import Unit

CO_PENDING = sa.text("opinion_at IS NULL")
DISPUTE_OPEN = sa.text("decided_at IS NULL")


class CoUnit(db.Model):
    """A co-unit of a case (协办单位): its own earlier due date, its input (协办意见) to the
    lead, and whether that came late. `late_at` is frozen when it becomes known (the due
    moment passing without input, or input given after it) so figures never shift."""

    __tablename__ = "case_co_units"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "unit_id"),
        # A unit's 协办 tab: the cases awaiting its input, by due date.
        sa.Index("ix_case_co_units_unit_due", "unit_id", "due_at", "id"),
        # The watch: inputs still awaited, by due moment and reminder moment.
        sa.Index("ix_case_co_units_pending_due", "due_at", postgresql_where=CO_PENDING,
                 sqlite_where=CO_PENDING),
        sa.Index("ix_case_co_units_pending_remind", "remind_at", postgresql_where=CO_PENDING,
                 sqlite_where=CO_PENDING),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, sa.ForeignKey("cases.id"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opinion: Mapped[str | None] = mapped_column(sa.Text)
    opinion_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opinion_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    late_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[Unit] = relationship()
    opinion_by = relationship("User", foreign_keys=[opinion_by_id])

    @property
    def due_date(self):
        return due_date_of(self.due_at)


class Dispute(db.Model):
    """A unit's 退单 (派单异议) and the dispatcher's decision: 改派 (reassigned), 驳回
    (refused: the case stays with the unit, its clock running), or lapsed (another event
    ended the case's stay with the unit first)."""

    __tablename__ = "case_disputes"
    __table_args__ = (
        sa.Index("ix_case_disputes_case", "case_id", "id"),
        # The dispatcher's 退单审核 queue: open disputes, oldest first.
        sa.Index("ix_case_disputes_open", "requested_at", "id", postgresql_where=DISPUTE_OPEN,
                 sqlite_where=DISPUTE_OPEN),
        sa.Index("ix_case_disputes_unit", "unit_id", "requested_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, sa.ForeignKey("cases.id"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[str | None] = mapped_column(sa.String(16))  # vocabulary.DISPUTE_DECISIONS
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship()
