"""The API's case list (GET /api/v1/cases): filters, visibility, newest first, a page at a
time by keyset (`after` the last id seen) or by page number, and a count that stops at
COUNT_CAP unless the exact figure is asked for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, load_only

from ..extensions import db
from ..models import Case, Unit
from ..permissions import visible_cases
from .common import running_overdue

COUNT_CAP = 1000
# What a list item shows (api/schemas.py case_summary_json): not the texts.
SUMMARY = (Case.number, Case.type, Case.category, Case.channel, Case.subject, Case.state,
           Case.received_at, Case.assigned_at, Case.due_at, Case.due_provisional, Case.overdue,
           Case.on_time, Case.replied_at, Case.closed_at, Case.return_count, Case.version,
           Case.unit_id)


@dataclass(frozen=True)
class CaseFilter:
    state: str | None = None
    type: str | None = None
    unit: str | None = None
    overdue: bool | None = None
    page: int = 1
    per_page: int = 50
    after: int | None = None  # keyset: only cases older (smaller id) than this one
    exact_count: bool = False


@dataclass
class CasePage:
    rows: list[Case]
    total: int
    capped: bool  # more than `total` match (the count stopped at COUNT_CAP)
    next_after: int | None  # the cursor of the next page, if there is one


def case_list(actor, f: CaseFilter, now: datetime) -> CasePage:
    """The cases `actor` may see that match `f` (one page, with the unit loaded)."""
    where = []
    if f.state is not None:
        where.append(Case.state == f.state)
    if f.type is not None:
        where.append(Case.type == f.type)
    if f.unit is not None:
        where.append(Case.unit_id == sa.select(Unit.id).where(Unit.code == f.unit).scalar_subquery())
    if f.overdue is not None:
        overdue = sa.or_(Case.overdue.is_(True), running_overdue(now))
        where.append(overdue if f.overdue else sa.not_(overdue))
    matching = visible_cases(actor, sa.select(Case.id).where(*where))
    counted = matching if f.exact_count else matching.limit(COUNT_CAP + 1)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(counted.subquery()))
    capped = not f.exact_count and total > COUNT_CAP
    stmt = visible_cases(actor, sa.select(Case).where(*where))
    stmt = stmt.where(Case.id < f.after) if f.after is not None else stmt.offset((f.page - 1) * f.per_page)
    rows = db.session.scalars(stmt.options(load_only(*SUMMARY), joinedload(Case.unit))
                              .order_by(Case.id.desc()).limit(f.per_page + 1)).all()
    more = len(rows) > f.per_page
    rows = rows[:f.per_page]
    return CasePage(rows, total if f.exact_count else min(total, COUNT_CAP), capped, rows[-1].id if more else None)
