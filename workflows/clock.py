"""Time in the domain: instants are aware UTC datetimes, deadlines are local dates.

All deadline arithmetic happens on Asia/Shanghai calendar dates; a limit that ends on
day D ends at 24:00 local time of D, i.e. at the first instant of D + 1.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_date(instant: datetime) -> date:
    """The Asia/Shanghai calendar date of an aware instant."""
    return to_local(instant).date()


def to_local(instant: datetime | str) -> datetime:
    """Beijing time of an instant, or of one stored as ISO text (published snapshots)."""
    if isinstance(instant, str):
        instant = datetime.fromisoformat(instant)
    if instant.tzinfo is None:
        raise ValueError("naive datetime: the domain only handles timezone-aware instants")
    return instant.astimezone(TZ)


def start_of_day(day: date) -> datetime:
    """00:00 Asia/Shanghai of `day` as an aware UTC instant."""
    return datetime.combine(day, time(0), TZ).astimezone(UTC)


def end_of_day(day: date) -> datetime:
    """24:00 Asia/Shanghai of `day` as an aware UTC instant (exclusive end of the day)."""
    return datetime.combine(day + timedelta(days=1), time(0), TZ).astimezone(UTC)


def due_date_of(due_at: datetime) -> date:
    """The local date whose 24:00 is `due_at` (inverse of end_of_day)."""
    return local_date(due_at - timedelta(microseconds=1))


def local_moment(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time on a local date, as an aware UTC instant."""
    return datetime.combine(day, time(hour, minute), TZ).astimezone(UTC)
