from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

import sqlalchemy as sa

from workflows.clock import end_of_day, local_date, start_of_day
from workflows.vocabulary import CLOCK_RUNNING, UNIT_TODO

from .. import calendar
from ..models import Case
from ..models.case import state_in

T = TypeVar("T")
# A case number as people type it: XJ-2026-000123.
CASE_NUMBER = re.compile(r"^[A-Z]{2}-\d{4}-\d{6}$")


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int
    next_cursor: str | None


def encode_cursor(*parts) -> str:
    raw = "|".join(p.isoformat() if isinstance(p, datetime) else str(p) for p in parts)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """(timestamp, id) of the last row seen, or None for a missing or malformed cursor."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, row_id = raw.split("|")
        return datetime.fromisoformat(stamp), int(row_id)
    except (ValueError, UnicodeDecodeError):
        return None


def soon_limit(now: datetime) -> datetime:
    """Due before this instant counts as 即将超期: by the end of the next working day."""
    return end_of_day(calendar.add_working_days(local_date(now), 1))


# The partial indexes' own predicates, as literal SQL: with bound parameters a prepared
# (generic) plan cannot prove them and falls back to a scan (measured: 20 ms -> 0.3 ms).
RUNNING = state_in(CLOCK_RUNNING)
TODO = state_in(UNIT_TODO)


def running_overdue(now: datetime):
    return sa.and_(RUNNING, Case.due_at <= now)


def running_due_soon(now: datetime):
    return sa.and_(RUNNING, Case.due_at > now, Case.due_at <= soon_limit(now))


def month_bounds(month: str) -> tuple[datetime, datetime] | None:
    """Beijing-time bounds [start, end) of 'YYYY-MM', or None if malformed."""
    try:
        year, mon = (int(x) for x in month.split("-"))
        first = date(year, mon, 1)
    except ValueError:
        return None
    return start_of_day(first), start_of_day(date(year + (mon == 12), mon % 12 + 1, 1))


def text_arg(args, name: str, limit: int) -> str:
    """A query-string argument as trimmed text of at most `limit` characters ('' if absent
    or not text)."""
    value = args.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
