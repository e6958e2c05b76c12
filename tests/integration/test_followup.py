"""回访, 重办 / 维持办结, 不合理诉求 and the response clock, through the services."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from casework import clock
from casework.extensions import db
from casework.models import Callback, CaseEvent, Notification
from tests.factories import act, build_world, letter, local, reload
from workflows.errors import Forbidden, Invalid, NotAllowed


@pytest.fixture
def w(ctx):
    return build_world()


def closed_letter(w, day=7):
    """Assigned Fri 2025-11-07 09:00, answered and closed the same day at 10:00."""
    with clock.travel(local(2025, 11, day, 9)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx")
        act(w.zyx_handler, c, "reply", body="已安排维修，供水恢复。")
        act(w.reviewer, c, "accept")
    with clock.travel(local(2025, 11, day, 10)):
        act(w.reviewer, c, "close")
    return reload(c)


def test_closing_a_letter_opens_a_callback_due_in_three_working_days(w):
    c = closed_letter(w)
    call = c.current_callback
    # Closed Friday 11-07: 11-10, 11-11, 11-12 -> the end of Wednesday 11-12 (Beijing).
    assert (call.status, call.round, call.attempts) == ("due", 1, 0)
    assert call.due_at == datetime(2025, 11, 12, 16, tzinfo=UTC)


def test_unreached_calls_are_retried_up_to_the_setting_then_given_up(w, app):
    c = closed_letter(w)
    for attempt in (1, 2, 3):
        with clock.travel(local(2025, 11, 10, 9 + attempt)):
            act(w.dispatcher, c, "call_back", reached="unreached")
    c = reload(c)
    assert (c.current_callback.status, c.current_callback.attempts) == ("unreachable", 3)
    with pytest.raises(NotAllowed, match="没有待进行的回访"):
        act(w.dispatcher, c, "call_back", reached="unreached")
    last = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == c.id)
                              .order_by(CaseEvent.id.desc())).first()
    assert last.data == {"attempt": 3, "reached": "unreached", "gave_up": True}


def test_a_reached_call_needs_its_results(w):
    c = closed_letter(w)
    with pytest.raises(Invalid) as exc:
        act(w.dispatcher, c, "call_back", reached="reached")
    assert set(exc.value.fields) == {"resolved", "satisfaction"}
    assert reload(c).current_callback.attempts == 0


def test_only_the_centre_and_the_administrator_call_back(w):
    c = closed_letter(w)
    with pytest.raises(Forbidden):
        act(w.reviewer, c, "call_back", reached="unreached")
    with pytest.raises(Forbidden):
        act(w.zyx_handler, c, "call_back", reached="unreached")


def test_a_satisfied_call_closes_the_loop_without_a_decision(w):
    c = closed_letter(w)
    act(w.dispatcher, c, "call_back", reached="reached", resolved="resolved", satisfaction="satisfied")
    c = reload(c)
    assert c.current_callback.status == "done" and not c.current_callback.needs_decision
    with pytest.raises(NotAllowed, match="未解决"):
        act(w.reviewer, c, "reopen", reason="复查")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                             .where(Notification.kind == "callback_poor")) == 0


def test_unresolved_tells_the_office_which_reopens_on_a_new_clock(w):
    c = closed_letter(w)
    with clock.travel(local(2025, 11, 10, 10)):
        act(w.dispatcher, c, "call_back", reached="reached", resolved="unresolved", satisfaction="unsatisfied",
            comment="仍然停水")
    told = set(db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == "callback_poor")))
    assert {w.reviewer.id, w.admin.id} <= told
    with pytest.raises(Forbidden):
        act(w.dispatcher, c, "reopen", reason="仍未解决")
    with pytest.raises(Invalid):
        act(w.reviewer, c, "reopen")
    with clock.travel(local(2025, 11, 10, 11)):
        act(w.reviewer, c, "reopen", reason="回访反映仍然停水，请重新办理")
    c = reload(c)
    assert (c.state, c.return_count, c.close_reason, c.closed_at) == ("returned", 1, None, None)
    # The return limit (3 working days) from Monday 11-10: the end of Thursday 11-13.
    assert c.due_at == datetime(2025, 11, 13, 16, tzinfo=UTC)
    assert c.current_callback.status == "reopened" and c.current_callback.decision == "reopen"
    with clock.travel(local(2025, 11, 12, 9)):
        act(w.zyx_handler, c, "reply", body="管网已更换，经回访确认供水正常。")
        act(w.reviewer, c, "accept")
        act(w.reviewer, c, "close")
    c = reload(c)
    assert [(cb.round, cb.status) for cb in c.callbacks] == [(1, "reopened"), (2, "due")]
    # The full history stays: the first answer, the call, the reopening, the second answer.
    assert [e.event for e in c.events] == ["create", "assign", "reply", "accept", "close", "call_back",
                                           "reopen", "reply", "accept", "close"]


def test_the_office_may_keep_it_closed_with_a_reason_once(w):
    c = closed_letter(w)
    act(w.dispatcher, c, "call_back", reached="reached", resolved="resolved", satisfaction="unsatisfied")
    with pytest.raises(Invalid):
        act(w.reviewer, c, "keep_closed")
    act(w.reviewer, c, "keep_closed", reason="已按政策答复，诉求超出政策范围")
    c = reload(c)
    assert (c.state, c.current_callback.decision) == ("closed", "keep_closed")
    with pytest.raises(NotAllowed):
        act(w.reviewer, c, "reopen", reason="再议")


def test_excluding_from_evaluation_needs_the_office_and_a_reason(w):
    c = closed_letter(w)
    with pytest.raises(Forbidden):
        act(w.dispatcher, c, "exclude_evaluation", reason="超出法律规定")
    with pytest.raises(Invalid):
        act(w.reviewer, c, "exclude_evaluation")
    act(w.reviewer, c, "exclude_evaluation", reason="要求政府赔偿法律规定以外的损失")
    assert reload(c).exclusion.reason == "要求政府赔偿法律规定以外的损失"
    with pytest.raises(NotAllowed, match="已认定"):
        act(w.admin, c, "exclude_evaluation", reason="重复")


def test_an_open_letter_cannot_be_excluded_or_called_back(w):
    with clock.travel(local(2025, 11, 7, 9)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx")
    for actor, event, fields in ((w.dispatcher, "call_back", {"reached": "unreached"}),
                                 (w.reviewer, "exclude_evaluation", {"reason": "x"})):
        with pytest.raises(NotAllowed, match="不能"):
            act(actor, c, event, **fields)


def test_signing_for_a_case_within_one_working_day_is_a_response(w):
    with clock.travel(local(2025, 11, 7, 9)):  # Friday
        on_time, late = letter(w.dispatcher), letter(w.dispatcher)
        act(w.dispatcher, on_time, "assign", unit_code="zyx")
        act(w.dispatcher, late, "assign", unit_code="zyx")
    # One working day after Friday: the end of Monday 11-10.
    assert reload(on_time).respond_by == datetime(2025, 11, 10, 16, tzinfo=UTC)
    with clock.travel(local(2025, 11, 10, 23, 59)):
        act(w.zyx_handler, on_time, "acknowledge")
    with clock.travel(local(2025, 11, 11, 8)):
        act(w.zyx_handler, late, "acknowledge")
    assert (reload(on_time).responded_on_time, reload(late).responded_on_time) == (True, False)
    # A reassignment starts a new response clock.
    with clock.travel(local(2025, 11, 11, 9)):
        act(w.dispatcher, late, "reassign", unit_code="gaj", reason="职责不符")
    late = reload(late)
    assert (late.responded_on_time, late.respond_by) == (None, datetime(2025, 11, 12, 16, tzinfo=UTC))


def test_callback_rows_keep_one_evaluation_per_case(w):
    c = closed_letter(w)
    act(w.dispatcher, c, "call_back", reached="reached", resolved="resolved", satisfaction="satisfied")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Callback)
                             .where(Callback.case_id == c.id, Callback.status == "done")) == 1
