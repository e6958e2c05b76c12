from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import due_date_of, utcnow
from workflows.vocabulary import (
    CASE_TYPES,
    CHANNELS,
    CLOCK_RUNNING,
    LETTER_CATEGORIES,
    STATES,
    UNIT_TODO,
)

from ..extensions import db
from .callback import Callback, EvaluationExclusion
from .case_public import CasePublication, CaseRating
from .co_handling import CoUnit, Dispute
from .types import BigId, Json, UTCDateTime
from .unit import Unit
from .user import User


def state_in(states) -> sa.TextClause:
    listed = ", ".join(f"'{s}'" for s in sorted(states))
    return sa.text(f"state IN ({listed})")


SUPERVISED = sa.text("escalated_at IS NOT NULL AND " + str(state_in(UNIT_TODO)))
AWAITING_REVIEW = state_in({"replied"})
EXTENSION_REQUESTED = sa.text("extension_days_requested IS NOT NULL")


class CaseLabels:
    """How a case reads, for a Case and for the lighter rows lists load."""

    @property
    def due_date(self) -> date | None:
        return due_date_of(self.due_at) if self.due_at else None

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def type_label(self) -> str:
        return CASE_TYPES[self.type]

    @property
    def channel_label(self) -> str:
        return CHANNELS[self.channel]

    @property
    def category_label(self) -> str | None:
        return LETTER_CATEGORIES.get(self.category) if self.category else None


class Case(CaseLabels, db.Model):
    """A finding or a letter and everything needed to drive it to a compliant answer.

    `overdue` and `on_time` are frozen when they become known (the due moment passing,
    the reply, the acceptance) so that published figures never shift afterwards.
    """

    __tablename__ = "cases"
    __table_args__ = (
        # A unit's inbox: its cases waiting on it, by due date (then id: the keyset order,
        # so a page reads its 20 rows without a sort). INCLUDE state: the navigation
        # counts (overdue, returned) become index-only scans.
        sa.Index("ix_cases_unit_todo_due", "unit_id", "due_at", "id", postgresql_include=["state"],
                  postgresql_where=state_in(UNIT_TODO), sqlite_where=state_in(UNIT_TODO)),
        # Deadline enforcement: running clocks by due moment (overdue marking, reconciliation),
        # and the 督办 lists in their order (many cases share a due moment: then id).
        sa.Index("ix_cases_running_due", "due_at", "id",
                  postgresql_where=state_in(CLOCK_RUNNING), sqlite_where=state_in(CLOCK_RUNNING)),
        # Monthly figures per unit, and the office's queues (dispatch, review) by age.
        sa.Index("ix_cases_received_unit", "received_at", "unit_id"),
        # A unit's finished cases, newest first.
        sa.Index("ix_cases_unit_closed", "unit_id", "closed_at", "id"),
        # Reminders and escalations that are due (reconciliation).
        sa.Index("ix_cases_running_remind", "remind_at",
                  postgresql_where=state_in(CLOCK_RUNNING), sqlite_where=state_in(CLOCK_RUNNING)),
        sa.Index("ix_cases_running_escalate", "escalate_at",
                  postgresql_where=state_in(CLOCK_RUNNING), sqlite_where=state_in(CLOCK_RUNNING)),
        sa.Index("ix_cases_state_received", "state", "received_at"),
        # The API's list, newest first, by state and by unit: a page (and the capped count)
        # reads its rows in index order instead of sorting every match.
        sa.Index("ix_cases_state_id", "state", "id"),
        sa.Index("ix_cases_unit_id", "unit_id", "id"),
        sa.Index("ix_cases_unit_state_id", "unit_id", "state", "id"),  # a unit's, by state
        # A case page lists the duplicates merged into it (few rows: a partial index).
        sa.Index("ix_cases_merged_into", "merged_into_id",
                  postgresql_where=sa.text("merged_into_id IS NOT NULL"),
                  sqlite_where=sa.text("merged_into_id IS NOT NULL")),
        # The dispatcher's duplicate hint: the same phone in the last 30 days.
        sa.Index("ix_cases_phone_received", "citizen_phone", "received_at"),
        # The review queue in its keyset order (the oldest reply first).
        sa.Index("ix_cases_review_queue", "replied_at", "id", postgresql_where=AWAITING_REVIEW,
                  sqlite_where=AWAITING_REVIEW),
        # The 督办 page's three short lists, each a few rows of a million (partial indexes).
        sa.Index("ix_cases_supervised", "escalated_at", "id", postgresql_where=SUPERVISED,
                  sqlite_where=SUPERVISED),
        sa.Index("ix_cases_extension_requested", "due_at", "id", postgresql_where=EXTENSION_REQUESTED,
                  sqlite_where=EXTENSION_REQUESTED),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    type: Mapped[str] = mapped_column(sa.String(16))
    category: Mapped[str | None] = mapped_column(sa.String(16))
    channel: Mapped[str] = mapped_column(sa.String(16))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    # Personal data: shown to the office and the unit, never on a public page.
    citizen_name: Mapped[str | None] = mapped_column(sa.String(64))
    citizen_phone: Mapped[str | None] = mapped_column(sa.String(32))

    state: Mapped[str] = mapped_column(sa.String(16), default="opened")
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 响应: the unit is to sign for the case by `respond_by` (a deadline rule); whether it
    # did is frozen when it signs.
    respond_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_on_time: Mapped[bool | None]

    # The running clock: started at `clock_start` for `clock_days` working days (None when
    # the due date was set as a date), giving `due_at` = 24:00 Asia/Shanghai of the last day.
    clock_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    clock_days: Mapped[int | None]
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_provisional: Mapped[bool] = mapped_column(default=False)
    deadline_rule_id: Mapped[int | None] = mapped_column(sa.ForeignKey("deadline_rules.id"))
    rectify_by: Mapped[date | None] = mapped_column(sa.Date)
    extension_days_requested: Mapped[int | None]
    # Where `resume` / a rejected draft lead back to (assigned or returned).
    resume_state: Mapped[str | None] = mapped_column(sa.String(16))
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[str | None] = mapped_column(sa.String(16))
    merged_into_id: Mapped[int | None] = mapped_column(BigId, sa.ForeignKey("cases.id"))

    # Deadline watch: when to remind (08:30 of the working day before the due date) and
    # when an overdue case goes on the office's 督办 list; set with the due date, so the
    # database alone knows every pending deadline action (jobs may be lost).
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalate_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    overdue: Mapped[bool] = mapped_column(default=False)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    on_time: Mapped[bool | None]
    handling_days: Mapped[int | None]
    return_count: Mapped[int] = mapped_column(default=0)
    # The public side of a letter: the citizen's consent and the query code (hashed). The
    # published answer and the rating are in their own tables (models/case_public.py).
    consent_publish: Mapped[bool] = mapped_column(default=False)
    query_code_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit | None] = relationship()
    merged_into: Mapped[Case | None] = relationship(remote_side=[id])
    # The inspection finding this case handles (type 整改), for its page and its 复查 form.
    # By name: inspection.py imports this module, so importing it back would be a cycle.
    finding: Mapped[Finding | None] = relationship(  # noqa: F821
        "Finding", uselist=False, viewonly=True, lazy="select")
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", lazy="select")
    publication: Mapped[CasePublication | None] = relationship()
    rating: Mapped[CaseRating | None] = relationship()
    callbacks: Mapped[list[Callback]] = relationship(order_by="Callback.round", lazy="select")
    exclusion: Mapped[EvaluationExclusion | None] = relationship(lazy="select")

    @property
    def current_callback(self) -> Callback | None:
        return self.callbacks[-1] if self.callbacks else None

    @property
    def evaluation_excluded(self) -> bool:
        return self.exclusion is not None

    co_units: Mapped[list[CoUnit]] = relationship(order_by="CoUnit.id", lazy="select")
    disputes: Mapped[list[Dispute]] = relationship(order_by="Dispute.id", lazy="select")

    @property
    def unit_requires_approval(self) -> bool:
        return bool(self.unit and self.unit.requires_leader_approval)

    @property
    def co_unit_ids(self) -> frozenset[int]:
        return frozenset(co.unit_id for co in self.co_units)

    def co_unit_for(self, unit_id: int | None) -> CoUnit | None:
        return next((co for co in self.co_units if co.unit_id == unit_id), None)

    @property
    def open_dispute(self) -> Dispute | None:
        return next((d for d in self.disputes if d.decided_at is None), None)

    def __repr__(self) -> str:
        return f"<Case {self.number} {self.state}>"


class CaseEvent(db.Model):
    """The audit trail. Append-only: the ORM refuses updates and deletes, and so do
    database triggers (see migrations and models/guards.py)."""

    __tablename__ = "case_events"
    __table_args__ = (
        sa.Index("ix_case_events_case", "case_id", "id"),
        # Recent events of some kinds (reconciliation's sweep of hand-off notices).
        sa.Index("ix_case_events_event_at", "event", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, sa.ForeignKey("cases.id"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    event: Mapped[str] = mapped_column(sa.String(32))
    from_state: Mapped[str | None] = mapped_column(sa.String(16))
    to_state: Mapped[str | None] = mapped_column(sa.String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class CaseNumberSequence(db.Model):
    """Last number handed out per prefix and year (XJ-2026-000123)."""

    __tablename__ = "case_number_sequences"

    prefix: Mapped[str] = mapped_column(sa.String(4), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
