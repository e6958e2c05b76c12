"""Overrides, a year's arrangement entered by hand, and provisional due dates corrected."""

from datetime import date

import pytest

from casework import calendar, clock
from casework.extensions import db
from casework.permissions import SYSTEM_ACTOR
from casework.services import calendar_admin, recompute
from tests.factories import act, build_world, letter, local, reload
from workflows.errors import Forbidden, Invalid

ARRANGEMENT_2027 = """date,status,note
2027-01-01,off,元旦
2027-01-04,off,元旦（假设的调休）
2027-02-06,work,春节调休上班
"""


@pytest.fixture
def w(ctx):
    return build_world()


def test_overrides_apply_inside_the_app_only(w):
    calendar_admin.set_override(w.admin, date(2025, 10, 8), True, "临时上班")
    assert calendar.status(date(2025, 10, 8)).source == "override"
    assert calendar.is_working_day(date(2025, 10, 8)) is True
    with pytest.raises(Forbidden):
        calendar_admin.set_override(w.reviewer, date(2025, 10, 9), False)


def test_a_due_date_into_an_unpublished_year_is_provisional_then_recomputed(w):
    with clock.travel(local(2026, 12, 28, 10)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx")
        fixed = letter(w.dispatcher)
        act(w.dispatcher, fixed, "assign", unit_code="gaj")
        act(w.reviewer, fixed, "extend", due_date="2027-01-08", reason="春节前集中办理")
    c = reload(c)
    assert (c.due_date, c.due_provisional) == (date(2027, 1, 5), True)

    days = calendar_admin.parse_arrangement(ARRANGEMENT_2027)
    assert calendar_admin.import_arrangement(w.admin, days, "国办发明电〔2026〕X号") == [2027]
    assert calendar.status(date(2027, 1, 4)).working is False
    assert calendar.status(date(2027, 3, 1)).source == "official"

    changes = recompute.recompute_provisional()
    assert [(ch.number, ch.old_due, ch.new_due, ch.still_provisional) for ch in changes] == [
        (c.number, date(2027, 1, 5), date(2027, 1, 6), False)]
    c = reload(c)
    assert (c.due_date, c.due_provisional) == (date(2027, 1, 6), False)
    ev = c.events[-1]
    assert ev.event == "deadline_recomputed" and ev.data["old_due_date"] == "2027-01-05"
    assert reload(fixed).due_date == date(2027, 1, 8)  # a date set by hand does not move
    assert recompute.recompute_provisional() == []      # running it again changes nothing


def test_arrangement_csv_errors_name_the_line(w):
    with pytest.raises(Invalid) as err:
        calendar_admin.parse_arrangement("date,status\n2027-13-01,off\n2027-01-02,maybe\n")
    assert "第 2 行" in err.value.fields["file"] and "第 3 行" in err.value.fields["file"]
    with pytest.raises(Invalid):
        calendar_admin.parse_arrangement("day,kind\n2027-01-01,off\n")
    with pytest.raises(Invalid):
        calendar_admin.parse_arrangement("date,status\n2027-01-01,off\n2027-01-01,work\n")
    parsed = calendar_admin.parse_arrangement("\ufeffdate,status,note\n2027-02-06,班,调休\n")
    assert parsed[0].working is True
    assert db.session.query(calendar_admin.CalendarDay).count() == 0


def test_system_actor_may_import(w):
    calendar_admin.import_arrangement(SYSTEM_ACTOR, calendar_admin.parse_arrangement(ARRANGEMENT_2027), "cli")
    assert calendar.status(date(2027, 1, 4)).source == "override"
