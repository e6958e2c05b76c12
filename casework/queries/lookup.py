"""The one access-checked fetch of a case by its number, for reads and use cases alike
(services/lookup.py hands it on)."""

from __future__ import annotations

from sqlalchemy.orm import joinedload

from workflows.errors import NotFound

from ..extensions import db
from ..models import Case
from ..permissions import can_view_case


def case_for(actor, number: str) -> Case:
    """The case `number` as `actor` may see it; 404 for a case of another unit (or a
    letter this browser has not proved is its own), so that its existence is not revealed."""
    # The unit, co-units and disputes with the case, in one statement: every action and
    # every view of a case reads them (three more round trips each, lazily).
    case = db.session.execute(db.select(Case).options(
        joinedload(Case.unit), joinedload(Case.co_units), joinedload(Case.disputes))
        .where(Case.number == number)).unique().scalar_one_or_none()
    if case is None or not can_view_case(actor, case):
        raise NotFound("案件不存在或您无权查看。")
    return case
