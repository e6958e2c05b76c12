"""Chinese working days: the State Council arrangement, overrides, and a provisional rule.

Pure Python. The official arrangement comes from the chinesecalendar package for the
years it covers; callers may add years they have entered themselves (`published_years`)
and single-day overrides, which always win. A year nobody has published yet is counted
provisionally: weekends and the fixed-date statutory holidays are off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Literal

from chinese_calendar import constants as _official

Source = Literal["official", "override", "provisional"]

# Fixed-date statutory holidays (全国年节及纪念日放假办法, as amended 2024). The lunar
# holidays cannot be known before the State Council publishes the year's arrangement.
FIXED_HOLIDAYS: frozenset[tuple[int, int]] = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


@dataclass(frozen=True, slots=True)
class DayStatus:
    day: date
    working: bool
    source: Source
    note: str = ""


@cache
def official_years() -> frozenset[int]:
    return frozenset(d.year for d in _official.holidays) | frozenset(d.year for d in _official.workdays)


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利 70 周年纪念日",
}


def _official_note(day: date) -> str:
    if day in _official.workdays:
        name = _official.workdays[day]
        return f"{_HOLIDAY_NAMES.get(name, name)}调休上班"
    name = _official.holidays.get(day)
    return _HOLIDAY_NAMES.get(name, name) if name else ""


_SPANS_KEPT = 4096  # a long-lived process's spans: today moves on, old ones are dropped


class WorkCalendar:
    """Answers "is this a working day" and counts working days.

    `overrides` maps a date to True (working) or False (day off); `published_years` are
    years whose arrangement was entered by hand (their exceptions arrive as overrides),
    so they are not provisional.
    """

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        published_years: Iterable[int] = (),
        notes: Mapping[date, str] | None = None,
    ) -> None:
        self._overrides = dict(overrides or {})
        self._notes = dict(notes or {})
        self._known_years = official_years() | frozenset(published_years)
        # Pages count working days for every row they show: answer each day once, and
        # each span once (a page's rows share today and mostly a few due dates).
        self._working: dict[date, bool] = {}
        self._between: dict[tuple[date, date], int] = {}

    def status(self, day: date) -> DayStatus:
        if day in self._overrides:
            return DayStatus(day, self._overrides[day], "override", self._notes.get(day, ""))
        weekday = day.weekday() < 5
        if day.year in official_years():
            if day in _official.workdays:
                return DayStatus(day, True, "official", _official_note(day))
            if day in _official.holidays:
                return DayStatus(day, False, "official", _official_note(day))
            return DayStatus(day, weekday, "official")
        if day.year in self._known_years:
            # Entered by hand: the exceptions are overrides, everything else is the plain week.
            return DayStatus(day, weekday, "official")
        if (day.month, day.day) in FIXED_HOLIDAYS:
            return DayStatus(day, False, "provisional", "法定节假日（暂定）")
        return DayStatus(day, weekday, "provisional")

    def is_working_day(self, day: date) -> bool:
        working = self._working.get(day)
        if working is None:
            working = self._working[day] = self.status(day).working
        return working

    def add_working_days_checked(self, start: date, n: int) -> tuple[date, bool]:
        """The n-th working day after `start` (start itself not counted), and whether any
        day counted on the way was provisional. n == 0 means the same day when it is a
        working day, else the next working day (a same-day limit set on a day off)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        provisional = False
        day = start
        if n == 0:
            st = self.status(day)
            provisional = st.source == "provisional"
            while not st.working:
                day += timedelta(days=1)
                st = self.status(day)
                provisional = provisional or st.source == "provisional"
            return day, provisional
        remaining = n
        while remaining:
            day += timedelta(days=1)
            st = self.status(day)
            provisional = provisional or st.source == "provisional"
            if st.working:
                remaining -= 1
        return day, provisional

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before `day`."""
        day -= timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def add_working_days(self, start: date, n: int) -> date:
        return self.add_working_days_checked(start, n)[0]

    def working_days_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b; negative when b is before a."""
        if b < a:
            return -self.working_days_between(b, a)
        count = self._between.get((a, b))
        if count is None:
            count, day = 0, a
            while day < b:
                day += timedelta(days=1)
                count += self.is_working_day(day)
            if len(self._between) >= _SPANS_KEPT:
                self._between.clear()
            self._between[(a, b)] = count
        return count

    def year(self, year: int) -> list[DayStatus]:
        day = date(year, 1, 1)
        days = []
        while day.year == year:
            days.append(self.status(day))
            day += timedelta(days=1)
        return days


OFFICIAL = WorkCalendar()
