"""The API's case list (GET /api/v1/cases): filters, visibility, newest first, by page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Case, Unit
from ..permissions import visible_cases
from .common import running_overdue


@dataclass(frozen=True)
class CaseFilter:
    state: str | None = None
    type: str | None = None
    unit: str | None = None
    overdue: bool | None = None
    page: int = 1
    per_page: int = 50


def case_list(actor, f: CaseFilter, now: datetime) -> tuple[list[Case], int]:
    """The cases `actor` may see that match `f` (one page, with the unit loaded), and the
    number of all that match."""
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
    stmt = visible_cases(actor, sa.select(Case).where(*where))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(stmt.options(joinedload(Case.unit)).order_by(Case.id.desc())
                              .limit(f.per_page).offset((f.page - 1) * f.per_page)).all()
    return rows, total
