"""Loading things by the identifiers people use, with visibility applied."""

from __future__ import annotations

from workflows.errors import Invalid

from ..extensions import db
from ..models import Unit
from ..queries.lookup import case_for as case_for  # the one access-checked case fetch


def active_unit(code: str, field: str = "unit_code") -> Unit:
    unit = db.session.scalar(db.select(Unit).where(Unit.code == code))
    if unit is None or not unit.active:
        raise Invalid({field: f"找不到承办单位“{code}”，或该单位已停用。"})
    return unit
