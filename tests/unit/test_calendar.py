from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import calendar as app_calendar
from workflows.calendar import OFFICIAL, WorkCalendar


@pytest.mark.parametrize("day, working", [
    (date(2025, 9, 26), True),    # Friday
    (date(2025, 9, 27), False),   # Saturday
    (date(2025, 9, 28), True),    # Sunday made a working day (调休)
    (date(2025, 10, 1), False),   # National Day
    (date(2025, 10, 8), False),   # Wednesday inside the Golden Week
    (date(2025, 10, 9), True),
    (date(2025, 10, 11), True),   # Saturday made a working day
    (date(2026, 1, 4), True),     # Sunday made a working day (New Year 2026)
    (date(2026, 2, 16), False),   # Spring Festival 2026
    (date(2026, 2, 23), False),
    (date(2026, 2, 28), True),    # Saturday made a working day
    (date(2026, 10, 7), False),
    (date(2026, 10, 10), True),
])
def test_official_arrangement(day, working):
    assert OFFICIAL.is_working_day(day) is working
    assert OFFICIAL.status(day).source == "official"


def test_domain_worked_example():
    # docs/domain.md: assigned Friday 2025-09-26, 5 working days: 9-28, 9-29, 9-30, 10-9, 10-10.
    assert OFFICIAL.add_working_days(date(2025, 9, 26), 5) == date(2025, 10, 10)
    assert OFFICIAL.working_days_between(date(2025, 9, 26), date(2025, 10, 10)) == 5


def test_start_day_is_not_counted():
    assert OFFICIAL.add_working_days(date(2025, 9, 29), 1) == date(2025, 9, 30)
    # Started on a Saturday: Monday is the first working day.
    assert OFFICIAL.add_working_days(date(2025, 11, 15), 1) == date(2025, 11, 17)


def test_zero_days_is_same_working_day_or_next():
    assert OFFICIAL.add_working_days(date(2025, 9, 26), 0) == date(2025, 9, 26)
    assert OFFICIAL.add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 9)


def test_between_is_signed():
    assert OFFICIAL.working_days_between(date(2025, 10, 10), date(2025, 9, 26)) == -5
    assert OFFICIAL.working_days_between(date(2025, 10, 3), date(2025, 10, 3)) == 0


def test_2027_is_provisional_and_does_not_crash():
    st2027 = OFFICIAL.status(date(2027, 1, 1))
    assert (st2027.working, st2027.source) == (False, "provisional")
    assert OFFICIAL.status(date(2027, 1, 4)).working is True
    assert OFFICIAL.status(date(2027, 10, 1)).working is False
    assert OFFICIAL.status(date(2027, 5, 3)).working is True  # Monday: only 1-2 May are fixed


def test_due_date_across_new_year_2027_is_flagged_provisional():
    # Assigned Monday 2026-12-28: 12-29, 12-30, 12-31, (1-1 off), 1-4, 1-5.
    due, provisional = OFFICIAL.add_working_days_checked(date(2026, 12, 28), 5)
    assert due == date(2027, 1, 5)
    assert provisional is True
    due, provisional = OFFICIAL.add_working_days_checked(date(2026, 12, 21), 3)
    assert (due, provisional) == (date(2026, 12, 24), False)


def test_overrides_win_and_published_years_are_not_provisional():
    cal = WorkCalendar(overrides={date(2025, 10, 8): True, date(2027, 2, 8): False},
                       published_years=[2027])
    assert cal.status(date(2025, 10, 8)).working is True
    assert cal.status(date(2025, 10, 8)).source == "override"
    assert cal.status(date(2027, 2, 8)).working is False
    assert cal.status(date(2027, 2, 9)).source == "official"
    assert cal.add_working_days_checked(date(2026, 12, 28), 5) == (date(2027, 1, 4), False)


def test_module_functions_work_without_an_app():
    assert app_calendar.is_working_day(date(2025, 9, 28)) is True
    assert app_calendar.add_working_days(date(2025, 9, 26), 5) == date(2025, 10, 10)
    assert app_calendar.working_days_between(date(2025, 9, 26), date(2025, 10, 10)) == 5


days = st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=400, deadline=None)
@given(start=days, n=st.integers(min_value=1, max_value=40))
def test_add_working_days_properties(start, n):
    result = OFFICIAL.add_working_days(start, n)
    assert OFFICIAL.is_working_day(result)
    assert result > start
    assert OFFICIAL.working_days_between(start, result) == n
    # And it is the first such day: the day before has one working day fewer.
    assert OFFICIAL.working_days_between(start, result - timedelta(days=1)) == n - 1


@settings(max_examples=200, deadline=None)
@given(a=days, b=days)
def test_between_antisymmetric(a, b):
    assert OFFICIAL.working_days_between(a, b) == -OFFICIAL.working_days_between(b, a)
