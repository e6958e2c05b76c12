"""Vectorised working-day arithmetic over the real calendar (official + provisional)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from workflows.calendar import OFFICIAL

EPOCH = date(1970, 1, 1)


class Workdays:
    """Working days between two years as day numbers (days since 1970-01-01)."""

    def __init__(self, first_year: int, last_year: int):
        day, end = date(first_year, 1, 1), date(last_year, 12, 31)
        days = []
        while day <= end:
            if OFFICIAL.is_working_day(day):
                days.append((day - EPOCH).days)
            day += timedelta(days=1)
        self.days = np.array(days, dtype=np.int64)

    def add(self, start_day: np.ndarray, n: np.ndarray) -> np.ndarray:
        """The n-th working day after each start day (start not counted); n >= 1."""
        index = np.searchsorted(self.days, start_day, side="right") + n - 1
        return self.days[np.minimum(index, len(self.days) - 1)]

    def previous(self, day: np.ndarray) -> np.ndarray:
        return self.days[np.maximum(np.searchsorted(self.days, day, side="left") - 1, 0)]

    def between(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Working days d with a < d <= b."""
        return np.searchsorted(self.days, b, side="right") - np.searchsorted(self.days, a, side="right")
