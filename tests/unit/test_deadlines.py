from datetime import UTC, date, datetime

import pytest

from workflows.calendar import OFFICIAL
from workflows.clock import TZ, due_date_of, end_of_day
from workflows.deadlines import (
    DEFAULT_RULES,
    FIRST,
    RETURN,
    deadline_for,
    fixed_deadline,
    select_rule,
)


def rule(case_type, stage, category=None, channel=None):
    return select_rule(DEFAULT_RULES, case_type, stage, category, channel)


@pytest.mark.parametrize("case_type, stage, category, channel, days", [
    ("letter", FIRST, "consultation", "web", 5),
    ("letter", FIRST, "help", "phone", 5),
    ("letter", FIRST, "complaint", "web", 15),
    ("letter", FIRST, "report", "phone", 15),
    ("letter", FIRST, "suggestion", "web", 15),
    ("letter", FIRST, "urgent", "phone", 0),
    ("letter", FIRST, "consultation", "zhaocuo", 2),
    ("letter", FIRST, "complaint", "zhaocuo", 2),   # the channel beats the category
    ("letter", RETURN, "complaint", "web", 3),
    ("policy", FIRST, None, "other", 3),
    ("finding", RETURN, None, "inspection", 5),
])
def test_default_policy(case_type, stage, category, channel, days):
    assert rule(case_type, stage, category, channel).days == days


def test_finding_uses_the_round_date():
    r = rule("finding", FIRST)
    assert r.kind == "fixed_date"
    d = deadline_for(r, OFFICIAL, datetime(2020, 3, 3, 2, tzinfo=UTC), fixed_date=date(2020, 3, 9))
    assert (due_date_of(d.due_at), d.provisional, d.clock_days) == (date(2020, 3, 9), False, None)
    with pytest.raises(ValueError):
        deadline_for(r, OFFICIAL, datetime(2020, 3, 3, tzinfo=UTC))


def test_no_rule_is_a_lookup_error():
    with pytest.raises(LookupError):
        select_rule([], "letter", FIRST)


def test_due_moment_is_midnight_beijing_after_the_last_day():
    d = deadline_for(rule("letter", FIRST), OFFICIAL, datetime(2025, 9, 26, 10, tzinfo=TZ))
    assert d.due_at == datetime(2025, 10, 11, 0, 0, tzinfo=TZ)
    assert d.due_at.tzinfo is not None
    assert due_date_of(d.due_at) == date(2025, 10, 10)
    assert d.clock_days == 5


def test_clock_starts_on_the_beijing_date():
    # 2025-09-26 20:00 UTC is already Saturday 27th in Beijing.
    d = deadline_for(rule("letter", FIRST), OFFICIAL, datetime(2025, 9, 26, 20, tzinfo=UTC))
    assert due_date_of(d.due_at) == date(2025, 10, 10)  # 9-28, 9-29, 9-30, 10-9, 10-10 again
    d = deadline_for(rule("letter", FIRST), OFFICIAL, datetime(2025, 9, 29, 1, tzinfo=UTC))
    assert due_date_of(d.due_at) == date(2025, 10, 13)


def test_fixed_and_end_of_day_agree():
    assert fixed_deadline(date(2026, 3, 9)).due_at == end_of_day(date(2026, 3, 9))


def test_reminder_on_the_working_day_before_across_a_holiday():
    from workflows.deadlines import watch_moments

    # Due 2025-10-09 (the Thursday after the Golden Week): remind 08:30 on 2025-09-30.
    w = watch_moments(OFFICIAL, end_of_day(date(2025, 10, 9)), 2)
    assert w.remind_at == datetime(2025, 9, 30, 8, 30, tzinfo=TZ)
    # Escalate two working days after the due date: 10-10, 10-11 (make-up Saturday).
    assert w.escalate_at == end_of_day(date(2025, 10, 11))
    # Due Monday 2026-03-09: remind Friday 03-06.
    assert watch_moments(OFFICIAL, end_of_day(date(2026, 3, 9)), 2).remind_at == datetime(2026, 3, 6, 8, 30, tzinfo=TZ)
