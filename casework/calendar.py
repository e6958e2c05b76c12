"""Working days for the application.

Outside an app (a plain Python process) these functions use the official arrangement
and the provisional rule only. Inside an app context they also apply the overrides and
hand-entered years stored in the database, loaded once per app context.
"""

from __future__ import annotations

from datetime import date

from flask import g, has_app_context

from workflows.calendar import OFFICIAL, DayStatus, WorkCalendar


def current() -> WorkCalendar:
    if not has_app_context():
        return OFFICIAL
    if "work_calendar" not in g:
        g.work_calendar = _load()
    return g.work_calendar


def invalidate() -> None:
    """Call after changing overrides so the next computation in this context sees them."""
    if has_app_context():
        g.pop("work_calendar", None)


def _load() -> WorkCalendar:
    from .extensions import db
    from .models import CalendarDay, CalendarYear

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
