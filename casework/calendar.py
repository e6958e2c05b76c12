"""Working days for the application.

Outside an app (a plain Python process) these functions use the official arrangement
and the provisional rule only. Inside an app context they also apply the overrides and
hand-entered years stored in the database. Each process keeps what it loaded for as long
as the calendar's version row stays the same; database triggers raise it with every
change to the calendar's tables, so every process sees a change at its next request (or
job), with or without Redis, whoever made it.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, g, has_app_context

from workflows.calendar import OFFICIAL, DayStatus, WorkCalendar

from .events import CalendarChanged
from .extensions import db
from .models import CalendarDay, CalendarYear
from .models.calendar import CALENDAR
from .pipeline import Batch
from .reference import data_version

_KEPT = "casework.calendar"


def current() -> WorkCalendar:
    if not has_app_context():
        return OFFICIAL
    if "work_calendar" not in g:
        g.work_calendar = _shared()
    return g.work_calendar


def on_commit(batch: Batch) -> None:
    """Pipeline subscriber: this context computes with the new calendar from now on."""
    if batch.has(CalendarChanged) and has_app_context():
        g.pop("work_calendar", None)


def _shared() -> WorkCalendar:
    # The version is read before loading: a change committed meanwhile raises it again.
    version = data_version(CALENDAR)
    kept = current_app.extensions.setdefault(_KEPT, {})
    if kept.get("version") != version:
        kept.update(calendar=_load(), version=version)
    return kept["calendar"]


def _load() -> WorkCalendar:
    days = db.session.execute(db.select(CalendarDay.day, CalendarDay.working, CalendarDay.note)).all()
    years = db.session.scalars(db.select(CalendarYear.year)).all()
    return WorkCalendar(
        overrides={d: w for d, w, _ in days},
        notes={d: n for d, _, n in days},
        published_years=years,
    )


def is_working_day(d: date) -> bool:
    return current().is_working_day(d)


def add_working_days(start: date, n: int) -> date:
    return current().add_working_days(start, n)


def working_days_between(a: date, b: date) -> int:
    return current().working_days_between(a, b)


def status(d: date) -> DayStatus:
    return current().status(d)
