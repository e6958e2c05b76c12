"""Entering the State Council's arrangement and single-day overrides."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from workflows.errors import Forbidden, Invalid
from workflows.vocabulary import ADMIN, SYSTEM

from .. import clock
from ..extensions import db
from ..models import CalendarDay, CalendarYear
from .tx import transaction

_WORKING = {"work", "working", "workday", "1", "true", "班", "上班", "工作日"}
_OFF = {"off", "holiday", "rest", "0", "false", "休", "休息", "放假", "节假日"}


@dataclass(frozen=True)
class ArrangementDay:
    day: date
    working: bool
    note: str


def parse_arrangement(text: str) -> list[ArrangementDay]:
    """CSV with a header `date,status,note`: one row per exception to the plain week
    (holidays on weekdays, make-up working days on weekends). Errors name the line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or not {"date", "status"} <= {f.strip() for f in reader.fieldnames}:
        raise Invalid({"file": "文件第一行应为表头 date,status,note。"})
    days, errors = [], []
    for line, row in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        try:
            day = date.fromisoformat(row["date"])
        except ValueError:
            errors.append(f"第 {line} 行：日期“{row['date']}”应为 YYYY-MM-DD。")
            continue
        status = row["status"].lower()
        if status not in _WORKING | _OFF:
            errors.append(f"第 {line} 行：状态“{row['status']}”应为 work（班）或 off（休）。")
            continue
        days.append(ArrangementDay(day, status in _WORKING, row.get("note", "")))
    if errors:
        raise Invalid({"file": "；".join(errors)})
    if not days:
        raise Invalid({"file": "文件中没有日期。"})
    seen = {}
    for d in days:
        if d.day in seen and seen[d.day] != d.working:
            raise Invalid({"file": f"日期 {d.day} 出现了两次且状态不同。"})
        seen[d.day] = d.working
    return days


def _require_admin(actor) -> None:
    if actor.role not in (ADMIN, SYSTEM):
        raise Forbidden("只有管理员可以维护节假日安排。")


def import_arrangement(actor, days: list[ArrangementDay], source: str) -> list[int]:
    """Store the days as overrides and mark their years as published. Returns the years."""
    _require_admin(actor)
    years = sorted({d.day.year for d in days})
    with transaction():
        for d in days:
            _upsert(actor, d.day, d.working, d.note)
        for year in years:
            row = db.session.get(CalendarYear, year) or CalendarYear(year=year)
            row.source = source[:200]
            row.imported_at = clock.now()
            row.imported_by_id = getattr(actor, "id", None)
            db.session.add(row)
    return years


def set_override(actor, day: date, working: bool, note: str = "") -> None:
    _require_admin(actor)
    with transaction():
        _upsert(actor, day, working, note)


def _upsert(actor, day: date, working: bool, note: str) -> None:
    row = db.session.get(CalendarDay, day) or CalendarDay(day=day)
    row.working = working
    row.note = note[:100]
    row.updated_by_id = getattr(actor, "id", None)
    db.session.add(row)
