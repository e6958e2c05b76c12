from __future__ import annotations

from flask import jsonify

from workflows.errors import Invalid

from .. import calendar
from ..queries.units import all_units
from .registry import route
from .schemas import unit_json

YEARS = (1900, 2199)


@route("/units", "GET", "All units", "UnitList", errors=(401,))
def units():
    return jsonify([unit_json(u) for u in all_units()])


@route("/calendar/<int:year>", "GET", "Each day of a year: working or not, and where that comes from",
       "Calendar", errors=(400, 401))
def calendar_year(year: int):
    if not YEARS[0] <= year <= YEARS[1]:
        raise Invalid({"year": f"年份应在 {YEARS[0]}–{YEARS[1]} 之间。"})
    days = calendar.current().year(year)
    return jsonify(year=year, days=[{"date": d.day.isoformat(), "working": d.working, "source": d.source,
                                     "note": d.note} for d in days])
