"""Working days for the application.

Outside an app (a plain Python process) these functions use the official arrangement
and the provisional rule only. Inside an app context they also apply the overrides and
hand-entered years stored in the database. A process keeps what it loaded for as long as
the calendar's cache token stays the same: a change to the overrides drops the token when
it commits, and every process reloads on its next request.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, g, has_app_context

from workflows.calendar import OFFICIAL, DayStatus, WorkCalendar

from . import cache
from .extensions import db
from .models import CalendarDay, CalendarYear

CACHE_NAME = "calendar"
for _model in (CalendarDay, CalendarYear):
    cache.drop_on_change(_model, lambda _row: [CACHE_NAME])


def current() -> WorkCalendar:
    if not has_app_context():
        return OFFICIAL
    if "work_calendar" not in g:
        g.work_calendar = _shared()
    return g.work_calendar


def invalidate() -> None:
    """Call after changing overrides so the next computation in this context sees them."""
    if has_app_context():
        g.pop("work_calendar", None)


def _shared() -> WorkCalendar:
    token = cache.token(CACHE_NAME)
    if token is None:
        return _load()
    kept = current_app.extensions.setdefault("casework.calendar", {})
    if kept.get("token") != token:
        # Read the token before loading: a change committed meanwhile drops it again.
        kept.update(calendar=_load(), token=token)
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
