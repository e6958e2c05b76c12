"""Loading things by the identifiers people use, with visibility applied."""

from __future__ import annotations

from workflows.errors import Invalid

from ..extensions import db
from ..importing import clean
from ..models import Unit
from ..queries.lookup import case_for as case_for  # the one access-checked case fetch


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
