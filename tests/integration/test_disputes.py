"""退单 review (派单异议) and pending requests that another event ends, through the
services, on SQLite and PostgreSQL."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework import clock
from casework.extensions import db
from casework.models import CaseEvent, Dispute
from casework.queries import case_page
from casework.queries.queues import dispatch_queue, queue_counts
from tests.factories import act, build_world, letter, local, reload
from workflows.errors import Forbidden, NotAllowed, NotFound


@pytest.fixture
def w(ctx):
    return build_world()


def assigned(w, unit="zyx"):
    with clock.travel(local(2026, 3, 2, 9)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code=unit)
    return reload(c)


def lines(case, event):
    return [t.details for t in case_page.timeline(case) if t.event.event == event]


def test_a_refused_rejection_leaves_the_case_and_its_clock_with_the_unit(w):
    c = assigned(w)
    assert c.due_date == date(2026, 3, 9)
    with clock.travel(local(2026, 3, 3, 10)):
        act(w.zyx_handler, c, "reject_assignment", reason="属于公安职责")
    c = reload(c)
    # Still the unit's, clock running, waiting for the dispatcher.
    assert (c.state, c.unit.code, c.due_date) == ("assigned", "zyx", date(2026, 3, 9))
    assert c.open_dispute.reason == "属于公安职责"
    assert [x.number for x in dispatch_queue(rejected=True).items] == [c.number]
    assert queue_counts()["rejected"] == 1 and dispatch_queue(rejected=False).total == 0
    with pytest.raises(NotAllowed, match="等待派单员审核"):
        act(w.zyx_handler, c, "reject_assignment", reason="再次退单")
    with pytest.raises(Forbidden):
        act(w.zyx_handler, c, "refuse_rejection", reason="自己驳回")
    with pytest.raises(Forbidden):  # letters are the 12345 centre's
        act(w.reviewer, c, "refuse_rejection", reason="审核员驳回")

    with clock.travel(local(2026, 3, 4, 10)):
        act(w.dispatcher, c, "refuse_rejection", reason="供水管网属县政府管理")
    c = reload(c)
    assert (c.state, c.unit.code, c.due_date) == ("assigned", "zyx", date(2026, 3, 9))
    assert c.open_dispute is None
    dispute = db.session.scalar(sa.select(Dispute))
    assert (dispute.decision, dispute.decision_reason) == ("refused", "供水管网属县政府管理")
    assert dispute.decided_at == local(2026, 3, 4, 10)
    assert queue_counts()["rejected"] == 0
    with pytest.raises(NotAllowed, match="没有待审核的退单"):
        act(w.dispatcher, c, "refuse_rejection", reason="再驳回")
    with pytest.raises(NotAllowed, match="已驳回本单位的退单"):
        act(w.zyx_handler, c, "reject_assignment", reason="仍不属于我们")
    act(w.zyx_handler, c, "reply", body="已协调处理。")  # the unit handles it


def test_a_justified_rejection_is_answered_by_reassigning(w):
    c = assigned(w)
    with clock.travel(local(2026, 3, 3, 10)):
        act(w.zyx_handler, c, "reject_assignment", reason="属于公安职责")
    with clock.travel(local(2026, 3, 4, 10)):
        act(w.dispatcher, c, "reassign", unit_code="gaj", reason="退单理由成立")
    c = reload(c)
    assert (c.unit.code, c.due_date) == ("gaj", date(2026, 3, 11))  # a new clock for the new unit
    assert db.session.scalar(sa.select(Dispute.decision)) == "reassigned"
    assert lines(c, "reassign")[-1][-1] == "退单审核：改派"
    with pytest.raises(NotFound):  # the first unit no longer sees it
        act(w.zyx_handler, c, "acknowledge")
    act(w.gaj_handler, c, "reject_assignment", reason="也不属于公安")  # the new unit may object
    assert reload(c).open_dispute.unit_id == w.gaj.id


def test_a_reply_ends_the_units_own_rejection_on_the_timeline(w):
    c = assigned(w)
    act(w.zyx_handler, c, "reject_assignment", reason="属于公安职责")
    act(w.zyx_handler, c, "reply", body="经核实属本单位职责，已处理。")
    c = reload(c)
    assert c.open_dispute is None
    assert db.session.scalar(sa.select(Dispute.decision)) == "lapsed"
    assert lines(c, "dispute_lapsed") == [["因“提交答复”终止，未经审批"]]


def test_a_pending_extension_ended_by_another_event_says_so(w):
    # Once replied, nobody can decide it (the office's extension queue no longer lists a
    # request it cannot act on); a reassignment starts another unit's clock.
    c = assigned(w)
    with clock.travel(local(2026, 3, 3, 10)):
        act(w.zyx_handler, c, "request_extension", days=3, reason="需现场核查")
        act(w.zyx_handler, c, "reply", body="已转交。")
        act(w.reviewer, c, "return_reply", reason="buck_passing")
    c = reload(c)
    assert c.extension_days_requested is None
    assert lines(c, "extension_lapsed") == [["因“提交答复”终止，未经审批"]]
    entries = db.session.scalars(sa.select(CaseEvent.event).where(CaseEvent.case_id == c.id)
                                 .order_by(CaseEvent.id)).all()
    assert entries[-3:] == ["reply", "extension_lapsed", "return_reply"]

    other = assigned(w)
    with clock.travel(local(2026, 3, 3, 10)):
        act(w.zyx_handler, other, "request_extension", days=3, reason="需现场核查")
        act(w.dispatcher, other, "reassign", unit_code="gaj", reason="属公安职责")
    assert lines(reload(other), "extension_lapsed") == [["因“改派”终止，未经审批"]]


def test_a_decided_extension_is_no_lapse(w):
    c = assigned(w)
    with clock.travel(local(2026, 3, 3, 10)):
        act(w.zyx_handler, c, "request_extension", days=3, reason="需现场核查")
        act(w.reviewer, c, "decide_extension", approve=False)
    assert lines(reload(c), "extension_lapsed") == []
