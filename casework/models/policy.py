from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.clock import utcnow
from workflows.deadlines import Rule

from ..extensions import db
from .types import UTCDateTime


class DeadlineRule(db.Model):
    """A time limit the office set. Rows are never edited in place: a change supersedes
    the row with a new one, and each case keeps the id of the rule its clock used."""

    __tablename__ = "deadline_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_type: Mapped[str] = mapped_column(sa.String(16))
    stage: Mapped[str] = mapped_column(sa.String(16))
    category: Mapped[str | None] = mapped_column(sa.String(16))
    channel: Mapped[str | None] = mapped_column(sa.String(16))
    kind: Mapped[str] = mapped_column(sa.String(16))
    days: Mapped[int | None]
    label: Mapped[str] = mapped_column(sa.String(200))
    from_receipt: Mapped[bool] = mapped_column(default=False)
    # An overdue case goes on the office's 督办 list this many working days after its due date.
    escalate_after_days: Mapped[int] = mapped_column(default=2)
    effective_from: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    def to_rule(self) -> Rule:
        return Rule(case_type=self.case_type, stage=self.stage, kind=self.kind, days=self.days,
                    label=self.label, category=self.category, channel=self.channel,
                    from_receipt=self.from_receipt, escalate_after_days=self.escalate_after_days,
                    id=self.id)
