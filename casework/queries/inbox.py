"""A unit's inbox: its cases by tab, filtered, keyset-paginated, and the nav counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from workflows.dispatch import LEAD_WORKING
from workflows.vocabulary import CASE_TYPES

from ..extensions import db
from ..models import Case, CoUnit
from ..models.case import CaseLabels
from .common import (
    TODO,
    Page,
    decode_cursor,
    encode_cursor,
    like_pattern,
    month_bounds,
    running_due_soon,
    running_overdue,
)

PAGE_SIZE = 20

# tab: (state condition, ordering column, newest first?)
TABS = {
    "todo": (TODO, Case.due_at, False),
    "returned": (Case.state == "returned", Case.due_at, False),
    "approving": (Case.state == "approving", Case.due_at, False),
    "submitted": (Case.state.in_(("replied", "reviewed")), Case.due_at, False),
    "closed": (Case.state == "closed", Case.closed_at, True),
    # Other units' cases awaiting this unit's input (协办意见); see _scope.
    "co": (Case.state.in_(LEAD_WORKING), Case.due_at, False),
}


@dataclass(frozen=True)
class InboxRow(CaseLabels):
    """What a row shows, as plain values: a list needs no ORM objects (their identity map
    and change tracking cost more than the query), and no letter bodies."""
    id: int
    number: str
    type: str
    subject: str
    state: str
    received_at: datetime
    due_at: datetime | None
    due_provisional: bool
    closed_at: datetime | None
    acknowledged_at: datetime | None
    version: int

    @property
    def awaits_acknowledgement(self) -> bool:
        """Assigned and not yet signed for (签收): what 批量签收 offers."""
        return self.state == "assigned" and self.acknowledged_at is None


ROW_COLUMNS = [getattr(Case, f) for f in InboxRow.__dataclass_fields__]
TAB_LABELS = {"todo": "待办", "returned": "被退回", "approving": "待审签", "submitted": "已提交",
              "closed": "已办结", "co": "协办"}


def _scope(tab: str, unit_id: int) -> list[sa.ColumnElement]:
    if tab == "co":
        return [Case.id.in_(sa.select(CoUnit.case_id).where(CoUnit.unit_id == unit_id,
                                                            CoUnit.opinion_at.is_(None))),
                TABS[tab][0]]
    return [Case.unit_id == unit_id, TABS[tab][0]]


@dataclass(frozen=True)
class InboxFilter:
    tab: str = "todo"
    type: str = ""
    overdue: bool = False
    due_soon: bool = False
    month: str = ""
    q: str = ""

    @property
    def is_default(self) -> bool:
        return self == InboxFilter()

    @property
    def kept_args(self) -> dict[str, str]:
        """What a change of tab keeps: the search, the type and the month."""
        return {k: v for k, v in (("q", self.q), ("type", self.type), ("month", self.month)) if v}

    @property
    def args(self) -> dict[str, str]:
        """Every filter but the tab, as query arguments."""
        flags = {k: "1" for k in ("overdue", "due_soon") if getattr(self, k)}
        return self.kept_args | flags

    @classmethod
    def from_args(cls, args) -> InboxFilter:
        tab = args.get("tab", "todo")
        return cls(tab=tab if tab in TABS else "todo",
                   type=args.get("type", "") if args.get("type", "") in CASE_TYPES else "",
                   overdue=args.get("overdue") == "1", due_soon=args.get("due_soon") == "1",
                   month=args.get("month", "")[:7], q=args.get("q", "").strip()[:50])


def conditions(unit_id: int, f: InboxFilter, now: datetime) -> list:
    """What a tab with its filters lists (the page and its export)."""
    where = _scope(f.tab, unit_id)
    if f.type:
        where.append(Case.type == f.type)
    if f.overdue:
        where.append(running_overdue(now))
    if f.due_soon:
        where.append(running_due_soon(now))
    if f.month and (bounds := month_bounds(f.month)):
        where += [Case.received_at >= bounds[0], Case.received_at < bounds[1]]
    if f.q:
        where.append(sa.or_(Case.number == f.q.upper(),
                            Case.subject.like(like_pattern(f.q), escape="\\")))
    return where


def ordering(f: InboxFilter) -> tuple:
    _, order_col, newest_first = TABS[f.tab]
    return (order_col.desc(), Case.id.desc()) if newest_first else (order_col, Case.id)


def unit_inbox(unit_id: int, f: InboxFilter, now: datetime, cursor: str | None = None,
               limit: int = PAGE_SIZE, total: int | None = None) -> Page[InboxRow]:
    """`total` may be passed when it is already known (the navigation's count of the
    unfiltered to-do list), saving a count over the unit's cases."""
    _, order_col, newest_first = TABS[f.tab]
    where = conditions(unit_id, f, now)
    if total is None:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(*where))
    stmt = sa.select(*ROW_COLUMNS).where(*where)
    if (after := decode_cursor(cursor)) is not None:
        key, row_id = after
        stmt = stmt.where(sa.tuple_(order_col, Case.id) < (key, row_id) if newest_first
                          else sa.tuple_(order_col, Case.id) > (key, row_id))
    rows = [InboxRow(*r) for r in db.session.execute(stmt.order_by(*ordering(f)).limit(limit + 1))]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, order_col.key), last.id)
    return Page(rows, total, next_cursor)


@dataclass(frozen=True)
class Counts:
    todo: int
    due_soon: int
    overdue: int
    returned: int
    approving: int  # replies waiting for the unit's leader (待审签)


def unit_counts(unit_id: int, now: datetime) -> Counts:
    """The numbers in a unit's navigation, in one query over its waiting cases."""
    def count_if(cond):
        return sa.func.coalesce(sa.func.sum(sa.case((cond, 1), else_=0)), 0)

    row = db.session.execute(
        sa.select(sa.func.count(), count_if(running_due_soon(now)), count_if(running_overdue(now)),
                  count_if(Case.state == "returned"), count_if(Case.state == "approving"))
        .where(Case.unit_id == unit_id, TODO)).one()
    return Counts(*row)
