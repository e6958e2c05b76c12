"""Loading things by the identifiers people use, with visibility applied."""

from __future__ import annotations

from workflows.errors import Invalid, NotFound

from ..extensions import db
from ..importing import clean
from ..models import Case, Unit
from ..permissions import can_view_case


def case_for(actor, number: str) -> Case:
    """The case `number` as `actor` may see it; 404 for a case of another unit, so that
    its existence is not revealed."""
    case = db.session.scalar(db.select(Case).where(Case.number == number))
    if case is None or not can_view_case(actor, case):
        raise NotFound("案件不存在或您无权查看。")
    return case


def active_unit(code: str, field: str = "unit_code") -> Unit:
    unit = db.session.scalar(db.select(Unit).where(Unit.code == code))
    if unit is None or not unit.active:
        raise Invalid({field: f"找不到承办单位“{code}”，或该单位已停用。"})
    return unit


def unit_codes_by_name() -> dict[str, str]:
    """Unit code by code, full name and short name (spaces removed), for imported tables."""
    out = {}
    for code, name, short in db.session.execute(db.select(Unit.code, Unit.name, Unit.short_name)):
        for key in (code, name, short):
            if key:
                out[clean(key).replace(" ", "")] = code
    return out
