"""主办/协办 through the services: who sees and does what, the co-units' own deadline,
their reminders and lateness, their inbox tab. On SQLite and PostgreSQL."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework import clock
from casework.extensions import db
from casework.models import CoUnit, Notification
from casework.queries import case_page
from casework.queries.inbox import InboxFilter, unit_inbox
from casework.services import co_handling, lookup
from tests.factories import act, build_world, letter, local, reload, with_third_unit
from workflows import case_flow
from workflows.errors import Forbidden, Invalid, NotAllowed, NotFound


@pytest.fixture
def w(ctx):
    return with_third_unit(build_world())


def co_case(w, co=("gaj",)):
    # Assigned Monday 2026-03-02: the lead's 5 working days end on Monday 03-09; the
    # co-units' 2 working days earlier, Thursday 03-05.
    with clock.travel(local(2026, 3, 2, 9)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx", co_unit_codes=list(co))
    return reload(c)


def allowed(user, case):
    with clock.travel(local(2026, 3, 3, 9)):
        return [s.name for s in case_flow.allowed_events(user, case, clock.now())]


def test_assigning_with_co_units_gives_them_an_earlier_deadline(w):
    c = co_case(w, co=("gaj", "hbj"))
    assert c.due_date == date(2026, 3, 9)
    assert [(co.unit.code, co.due_date) for co in c.co_units] == [("gaj", date(2026, 3, 5)),
                                                                 ("hbj", date(2026, 3, 5))]
    assert c.co_units[0].remind_at == local(2026, 3, 4, 8, 30)
    assign = [t for t in case_page.timeline(c) if t.event.event == "assign"][0]
    assert "协办单位：安康市公安局（2026-03-05 前提交协办意见）" in assign.details


def test_a_co_unit_sees_the_case_gives_input_and_the_lead_replies_for_all(w):
    c = co_case(w)
    assert lookup.case_for(w.gaj_handler, c.number).id == c.id
    with pytest.raises(NotFound):
        lookup.case_for(w.hbj_handler, c.number)
    assert allowed(w.gaj_handler, c) == ["co_opinion"]
    assert "co_opinion" not in allowed(w.zyx_handler, c)
    with clock.travel(local(2026, 3, 3, 9)):
        with pytest.raises(Forbidden, match="协办单位只能提交协办意见"):
            act(w.gaj_handler, c, "reply", body="公安局答复")
        with pytest.raises(Forbidden):
            act(w.zyx_handler, c, "co_opinion", opinion="主办单位自己的意见")
        with pytest.raises(NotFound):
            act(w.hbj_handler, c, "co_opinion", opinion="无关单位")
        act(w.gaj_handler, c, "co_opinion", opinion="经查，该路段治安巡逻已加强。")
        with pytest.raises(NotAllowed, match="已提交协办意见"):
            act(w.gaj_handler, c, "co_opinion", opinion="再次提交")
    co = reload(c).co_units[0]
    assert (co.opinion, co.opinion_by_id, co.late_at) == ("经查，该路段治安巡逻已加强。", w.gaj_handler.id, None)
    with clock.travel(local(2026, 3, 4, 9)):
        act(w.zyx_handler, c, "reply", body="会同公安局处理，已加强巡逻。")
    with clock.travel(local(2026, 3, 4, 9)), pytest.raises(NotAllowed):
        act(w.gaj_handler, c, "co_opinion", opinion="答复后")


def test_the_office_adds_co_units_later(w):
    with clock.travel(local(2026, 3, 2, 9)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx")
    with clock.travel(local(2026, 3, 3, 9)):
        with pytest.raises(Forbidden):
            act(w.zyx_handler, c, "add_co_unit", co_unit_codes=["gaj"])
        with pytest.raises(Invalid) as lead:
            act(w.dispatcher, c, "add_co_unit", co_unit_codes=["zyx"])
        assert lead.value.fields == {"co_unit_codes": "主办单位不能同时作为协办单位。"}
        with pytest.raises(Invalid):
            act(w.dispatcher, c, "add_co_unit", co_unit_codes=["nope"])
        act(w.dispatcher, c, "add_co_unit", co_unit_codes="gaj、hbj")
        with pytest.raises(Invalid) as again:
            act(w.dispatcher, c, "add_co_unit", co_unit_codes=["gaj"])
        assert "已是协办单位" in again.value.fields["co_unit_codes"]
        with pytest.raises(Invalid) as lead_swap:  # a co-unit does not take the lead by 改派
            act(w.dispatcher, c, "reassign", unit_code="gaj", reason="改由公安主办")
        assert "协办单位" in lead_swap.value.fields["unit_code"]
    assert [co.unit.code for co in reload(c).co_units] == ["gaj", "hbj"]


def test_late_input_is_marked_once_and_late_answers_stay_late(w):
    c = co_case(w, co=("gaj", "hbj"))
    with clock.travel(local(2026, 3, 4, 9)):
        assert co_handling.remind_due(clock.now()) == 2
        assert co_handling.remind_due(clock.now()) == 0
        act(w.hbj_handler, c, "co_opinion", opinion="按时提交")
    now = local(2026, 3, 6, 0, 1)  # Thursday's 24:00 has passed
    assert co_handling.mark_late(now) == 1
    assert co_handling.mark_late(now) == 0
    kinds = set(db.session.execute(sa.select(Notification.kind, Notification.user_id)).all())
    assert ("co_reminder", w.gaj_handler.id) in kinds and ("co_overdue", w.gaj_handler.id) in kinds
    assert ("co_overdue", w.hbj_handler.id) not in kinds
    late = [t for t in case_page.timeline(reload(c)) if t.event.event == "co_unit_late"]
    assert [t.details for t in late] == [["协办单位：安康市公安局"]]
    with clock.travel(local(2026, 3, 6, 9)):
        act(w.gaj_handler, c, "co_opinion", opinion="迟交的意见")
    rows = {co.unit.code: co for co in reload(c).co_units}
    assert rows["gaj"].late_at == now and rows["gaj"].opinion == "迟交的意见"
    assert rows["hbj"].late_at is None


def test_input_given_after_the_deadline_before_the_sweep_is_late(w):
    c = co_case(w)
    with clock.travel(local(2026, 3, 6, 9)):
        act(w.gaj_handler, c, "co_opinion", opinion="迟交")
    assert reload(c).co_units[0].late_at == local(2026, 3, 6, 9)
    assert co_handling.mark_late(local(2026, 3, 6, 10)) == 0


def test_the_co_tab_lists_what_waits_for_the_units_input(w):
    c = co_case(w)
    now = local(2026, 3, 3, 9)
    tab = InboxFilter(tab="co")
    assert [r.number for r in unit_inbox(w.gaj.id, tab, now).items] == [c.number]
    assert unit_inbox(w.gaj.id, InboxFilter(), now).total == 0  # not in its own 待办
    assert unit_inbox(w.zyx.id, tab, now).total == 0
    with clock.travel(now):
        act(w.gaj_handler, c, "co_opinion", opinion="意见")
    assert unit_inbox(w.gaj.id, tab, now).total == 0
    assert db.session.scalar(sa.select(sa.func.count(CoUnit.id))) == 1
