"""Every workflow event through the service layer, on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from casework import clock
from casework.extensions import db
from casework.models import Case, CaseEvent, Reply, Review
from casework.services import case_actions, policy
from tests.factories import act, build_world, letter, local, reload
from workflows.clock import due_date_of
from workflows.errors import Conflict, Forbidden, Invalid, NotAllowed, NotFound


@pytest.fixture
def w(ctx):
    return build_world()


def events_of(case):
    return [e.event for e in db.session.scalars(
        sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))]


def snapshot(case):
    c = reload(case)
    return (c.state, c.version, c.unit_id, c.due_at, len(events_of(c)),
            db.session.scalar(sa.select(sa.func.count(Reply.id)).where(Reply.case_id == c.id)))


def test_full_letter_lifecycle_with_a_return(w):
    with clock.travel(local(2025, 9, 26, 9)):
        c = letter(w.dispatcher, received_at="2025-09-26T08:30:00+08:00")
        assert (c.state, c.number, c.version) == ("opened", "XJ-2025-000001", 1)
        act(w.dispatcher, c, "assign", unit_code="zyx")
    c = reload(c)
    assert c.state == "assigned" and c.unit.code == "zyx"
    assert c.due_date == date(2025, 10, 10)  # docs/domain.md's worked example
    assert c.due_at == datetime(2025, 10, 10, 16, tzinfo=UTC)
    assert c.due_provisional is False

    with clock.travel(local(2025, 9, 28, 9)):
        act(w.zyx_handler, c, "acknowledge")
    with clock.travel(local(2025, 9, 30, 15)):
        act(w.zyx_handler, c, "reply", body="已转交相关部门。", note="电话联系了水务公司")
    with clock.travel(local(2025, 10, 9, 10)):
        act(w.reviewer, c, "return_reply", reason="buck_passing", comment="请说明具体处理结果")
    c = reload(c)
    assert (c.state, c.return_count) == ("returned", 1)
    # Returned on 10-09: three working days 10-10, 10-11 (make-up Saturday), 10-13.
    assert c.due_date == date(2025, 10, 13)

    with clock.travel(local(2025, 10, 11, 11)):
        act(w.zyx_handler, c, "reply", body="经核实，供水管网已于 10 月 10 日修复，恢复正常供水。")
    with clock.travel(local(2025, 10, 13, 9)):
        act(w.reviewer, c, "accept")
        act(w.reviewer, c, "close", comment="办结")
    c = reload(c)
    assert (c.state, c.close_reason, c.overdue, c.on_time) == ("closed", "accepted", False, True)
    # Received 9-26, accepted reply given 10-11: 9-28, 9-29, 9-30, 10-9, 10-10, 10-11.
    assert c.handling_days == 6
    assert events_of(c) == ["create", "assign", "acknowledge", "reply", "return_reply", "reply",
                            "accept", "close"]
    replies = db.session.scalars(sa.select(Reply).where(Reply.case_id == c.id)
                                 .order_by(Reply.attempt)).all()
    assert [(r.attempt, r.status) for r in replies] == [(1, "returned"), (2, "accepted")]
    assert replies[0].internal_note == "电话联系了水务公司"
    reviews = db.session.scalars(sa.select(Review).order_by(Review.id)).all()
    assert [(r.verdict, r.reason) for r in reviews] == [("return", "buck_passing"), ("accept", None)]
    # Every action bumped the optimistic-lock version.
    assert c.version == 8


def test_event_data_records_who_what_and_the_deadline(w):
    with clock.travel(local(2025, 9, 26, 9)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx", comment="请尽快办理")
    ev = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.event == "assign")).one()
    assert (ev.actor_id, ev.from_state, ev.to_state, ev.comment) == (w.dispatcher.id, "opened", "assigned", "请尽快办理")
    assert ev.data["unit"] == "zyx"
    assert ev.data["due_at"] == "2025-10-10T16:00:00+00:00"
    assert ev.at == local(2025, 9, 26, 9)


def test_late_reply_is_frozen_overdue_and_not_on_time(w):
    with clock.travel(local(2025, 9, 26, 9)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx")
    with clock.travel(local(2025, 10, 11, 0, 0, 1)):  # one second after 24:00 of 10-10
        act(w.zyx_handler, c, "reply", body="答复")
    with clock.travel(local(2025, 10, 13, 9)):
        act(w.reviewer, c, "accept")
    c = reload(c)
    assert (c.overdue, c.on_time) == (True, False)
    assert c.overdue_at == c.due_at


def test_reply_exactly_before_midnight_is_on_time(w):
    with clock.travel(local(2025, 9, 26, 9)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx")
    with clock.travel(local(2025, 10, 10, 23, 59, 59)):
        act(w.zyx_handler, c, "reply", body="答复")
    with clock.travel(local(2025, 10, 20, 9)):  # the office's slowness is not the unit's
        act(w.reviewer, c, "accept")
    assert reload(c).on_time is True


@pytest.mark.parametrize("event, who, fields, error", [
    ("assign", "dispatcher", {"unit_code": "nope"}, Invalid),
    ("assign", "dispatcher", {}, Invalid),
    ("accept", "reviewer", {}, NotAllowed),
    ("reply", "zyx_handler", {"body": "x"}, NotFound),      # not assigned to anyone yet
    ("assign", "zyx_handler", {"unit_code": "zyx"}, NotFound),  # invisible to units
    ("assign", "reviewer", {"unit_code": "zyx"}, Forbidden),    # letters are dispatched
    ("dismiss", "dispatcher", {"reason": "other"}, Invalid),
    # A wrong primary number is the typed input's fault: a field error, the form kept.
    ("merge", "dispatcher", {"primary_number": "XJ-2099-000001"}, Invalid),
])
def test_bad_input_on_a_new_letter_changes_nothing(w, event, who, fields, error):
    c = letter(w.dispatcher)
    before = snapshot(c)
    with pytest.raises(error):
        act(getattr(w, who), c, event, **fields)
    assert snapshot(c) == before


@pytest.mark.parametrize("event, who, fields, error", [
    ("reply", "zyx_handler", {"body": ""}, Invalid),
    ("reply", "zyx_handler", {}, Invalid),
    ("return_reply", "reviewer", {"reason": "buck_passing"}, NotAllowed),  # nothing to review
    ("reply", "gaj_handler", {"body": "答复"}, NotFound),                     # another unit's case
    ("reassign", "dispatcher", {"unit_code": "zyx", "reason": "r"}, Invalid),  # same unit
    ("extend", "reviewer", {"due_date": "2000-01-01", "reason": "r"}, Invalid),
    ("request_extension", "zyx_handler", {"days": 99, "reason": "r"}, Invalid),
    ("decide_extension", "reviewer", {"approve": False}, NotAllowed),         # nothing requested
    ("close", "reviewer", {}, NotAllowed),
])
def test_bad_input_on_an_assigned_letter_changes_nothing(w, event, who, fields, error):
    c = letter(w.dispatcher)
    act(w.dispatcher, c, "assign", unit_code="zyx")
    before = snapshot(c)
    with pytest.raises(error):
        act(getattr(w, who), c, event, **fields)
    assert snapshot(c) == before


def test_return_requires_a_reason_and_other_requires_a_comment(w):
    c = letter(w.dispatcher)
    act(w.dispatcher, c, "assign", unit_code="zyx")
    act(w.zyx_handler, c, "reply", body="答复")
    before = snapshot(c)
    with pytest.raises(Invalid) as err:
        act(w.reviewer, c, "return_reply")
    assert "reason" in err.value.fields
    with pytest.raises(Invalid) as err:
        act(w.reviewer, c, "return_reply", reason="other")
    assert "comment" in err.value.fields
    assert snapshot(c) == before
    act(w.reviewer, c, "return_reply", reason="other", comment="附件缺失")
    assert reload(c).state == "returned"


def test_stale_version_is_a_conflict_and_changes_nothing(w):
    c = letter(w.dispatcher)
    seen = c.version
    act(w.dispatcher, c, "assign", unit_code="zyx")
    before = snapshot(c)
    with pytest.raises(Conflict):
        case_actions.perform(w.dispatcher, c.number, "reassign",
                             {"unit_code": "gaj", "reason": "r"}, expected_version=seen)
    assert snapshot(c) == before


def test_reassign_restarts_the_clock_for_the_new_unit(w):
    with clock.travel(local(2025, 9, 26, 9)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx")
    with clock.travel(local(2025, 9, 30, 9)):
        act(w.dispatcher, c, "reassign", unit_code="gaj", reason="属公安局职责")
    c = reload(c)
    assert c.unit.code == "gaj"
    assert c.due_date == date(2025, 10, 14)  # 10-9, 10-10, 10-11 (make-up Saturday), 10-13, 10-14
    ev = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.event == "reassign")).one()
    assert ev.data["previous_unit"] == "zyx" and ev.comment == "属公安局职责"


def test_reject_assignment_waits_for_the_dispatchers_review(w):
    # 退单 is a request now (tests/integration/test_disputes.py has the whole review).
    c = letter(w.dispatcher)
    act(w.dispatcher, c, "assign", unit_code="zyx")
    due = reload(c).due_at
    act(w.zyx_handler, c, "reject_assignment", reason="属于公安职责")
    c = reload(c)
    assert (c.state, c.unit.code, c.due_at) == ("assigned", "zyx", due)
    act(w.dispatcher, c, "reassign", unit_code="gaj", reason="退单理由成立")
    assert reload(c).unit.code == "gaj"


def test_dismiss_and_merge(w):
    spam = letter(w.dispatcher, subject="广告")
    act(w.dispatcher, spam, "dismiss", reason="spam")
    assert (reload(spam).state, reload(spam).close_reason) == ("closed", "dismissed")

    primary = letter(w.dispatcher)
    act(w.dispatcher, primary, "assign", unit_code="zyx")
    duplicate = letter(w.dispatcher, citizen_name="李女士", citizen_phone="13800000000")
    with pytest.raises(Invalid):
        act(w.dispatcher, duplicate, "merge", primary_number=duplicate.number)
    act(w.dispatcher, duplicate, "merge", primary_number=primary.number)
    d = reload(duplicate)
    assert (d.state, d.close_reason, d.merged_into_id) == ("closed", "merged", primary.id)
    assert d.citizen_name == "李女士"  # both citizens' letters are kept
    assert "merged_in" in events_of(primary)
    with pytest.raises(Invalid):  # cannot merge into a closed case
        act(w.dispatcher, letter(w.dispatcher), "merge", primary_number=spam.number)


def test_extension_request_approved_and_denied(w):
    with clock.travel(local(2026, 3, 2, 9)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx")
        act(w.zyx_handler, c, "request_extension", days=5, reason="需多部门会商")
        with pytest.raises(NotAllowed):  # one pending request at a time
            act(w.zyx_handler, c, "request_extension", days=2, reason="再延")
        act(w.reviewer, c, "decide_extension", approve=False, comment="期限内可办结")
        assert reload(c).due_date == date(2026, 3, 9)
        act(w.zyx_handler, c, "request_extension", days=5, reason="需多部门会商")
        act(w.reviewer, c, "decide_extension", approve=True, due_date="2026-03-16")
    c = reload(c)
    assert (c.due_date, c.clock_days, c.extension_days_requested) == (date(2026, 3, 16), None, None)
    data = [e.data for e in c.events if e.event == "decide_extension"]
    assert [d["approved"] for d in data] == [False, True]


def test_suspend_gives_back_the_paused_working_days(w):
    with clock.travel(local(2026, 3, 2, 9)):  # Monday
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx")
    assert reload(c).due_date == date(2026, 3, 9)
    with clock.travel(local(2026, 3, 3, 9)):
        act(w.zyx_handler, c, "suspend", reason="待来信人补充地址")
    assert reload(c).state == "suspended"
    with clock.travel(local(2026, 3, 6, 9)):  # 3-4, 3-5, 3-6 paused
        act(w.zyx_handler, c, "resume")
    c = reload(c)
    assert (c.state, c.due_date) == ("assigned", date(2026, 3, 12))
    assert c.events[-1].data["paused_working_days"] == 3


def test_leader_approval_before_the_reply_leaves_the_unit(w):
    w.gaj.requires_leader_approval = True
    db.session.commit()
    c = letter(w.dispatcher)
    act(w.dispatcher, c, "assign", unit_code="gaj")
    with pytest.raises(NotAllowed):
        act(w.gaj_handler, c, "reply", body="答复")
    act(w.gaj_handler, c, "submit_reply", body="初稿")
    assert (reload(c).state, reload(c).replied_at) == ("approving", None)
    act(w.gaj_leader, c, "reject_draft", reason="请补充法律依据")
    assert reload(c).state == "assigned"
    act(w.gaj_handler, c, "submit_reply", body="修改稿，依据《身份证法》第十一条")
    act(w.gaj_leader, c, "approve_reply")
    c = reload(c)
    assert c.state == "replied" and c.replied_at is not None
    statuses = [r.status for r in db.session.scalars(
        sa.select(Reply).where(Reply.case_id == c.id).order_by(Reply.attempt))]
    assert statuses == ["draft_rejected", "submitted"]


def test_findings_are_assigned_at_registration_with_the_round_date(w):
    from casework.services import intake

    with clock.travel(local(2020, 3, 3, 10)):
        f = intake.register_finding(w.reviewer, {
            "subject": "紫阳县人民政府网站检查发现问题", "body": "5 个栏目更新不及时",
            "unit_code": "zyx", "rectify_by": "2020-03-09"})
    f = reload(f)
    assert (f.number, f.state, f.unit.code, f.due_date) == ("ZG-2020-000001", "assigned", "zyx", date(2020, 3, 9))
    with clock.travel(local(2020, 3, 6, 10)):
        act(w.zyx_handler, f, "reply", body="已整改")
    with clock.travel(local(2020, 3, 10, 10)):
        act(w.reviewer, f, "fail_reinspection", open_items=["仍有空栏目"])
    # The re-rectification limit comes from the policy: 5 working days from 3-10.
    assert reload(f).due_date == date(2020, 3, 17)
    with pytest.raises(Forbidden):
        intake.register_finding(w.dispatcher, {"subject": "s", "body": "b", "unit_code": "zyx",
                                                "rectify_by": "2020-03-09"})


def test_policy_task_clock_starts_at_issue(w):
    from casework.services import intake

    with clock.travel(local(2025, 9, 30, 10)):
        p = intake.register_policy_task(w.reviewer, {
            "subject": "《安康市优化营商环境若干措施》解读", "body": "请公开解读材料",
            "unit_code": "gaj", "received_at": "2025-09-26T16:00:00+08:00"})
    assert reload(p).due_date == date(2025, 9, 30)  # 9-28, 9-29, 9-30


def test_numbers_are_per_type_and_year(w):
    with clock.travel(local(2025, 12, 31, 23)):
        a = letter(w.dispatcher)
        b = letter(w.dispatcher)
    with clock.travel(local(2026, 1, 1, 0, 30)):
        c = letter(w.dispatcher)
    assert [a.number, b.number, c.number] == ["XJ-2025-000001", "XJ-2025-000002", "XJ-2026-000001"]


def test_letter_intake_validation(w):
    from casework.services import intake

    with pytest.raises(Invalid) as err:
        intake.register_letter(w.dispatcher, {"subject": "", "body": "b", "channel": "fax"})
    assert set(err.value.fields) == {"subject", "channel"}
    with pytest.raises(Invalid) as err:
        letter(w.dispatcher, citizen_phone="call me")
    assert "citizen_phone" in err.value.fields
    with pytest.raises(Invalid) as err:
        letter(w.dispatcher, received_at="2999-01-01T00:00:00+08:00")
    assert "received_at" in err.value.fields
    with pytest.raises(Forbidden):
        letter(w.zyx_handler)
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_received_at_without_zone_is_beijing_time(w):
    c = letter(w.dispatcher, received_at="2026-03-05T09:30:00")
    assert reload(c).received_at == datetime(2026, 3, 5, 1, 30, tzinfo=UTC)


def test_policy_change_applies_to_new_clocks_only(w):
    with clock.travel(local(2026, 3, 2, 9)):
        old = letter(w.dispatcher)
        act(w.dispatcher, old, "assign", unit_code="zyx")
        rule_id = reload(old).deadline_rule_id
        new_rule = policy.change_rule(w.admin, rule_id, 7)
        new = letter(w.dispatcher)
        act(w.dispatcher, new, "assign", unit_code="zyx")
    assert reload(old).due_date == date(2026, 3, 9)
    assert reload(old).deadline_rule_id == rule_id
    assert reload(new).due_date == date(2026, 3, 11)
    assert reload(new).deadline_rule_id == new_rule.id
    with pytest.raises(Forbidden):
        policy.change_rule(w.reviewer, new_rule.id, 3)


def test_audit_trail_is_append_only(w):
    c = letter(w.dispatcher)
    ev = c.events[0]
    ev.comment = "tampered"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(sa.exc.DatabaseError):
        db.session.execute(sa.text("UPDATE case_events SET comment = 'x'"))
    db.session.rollback()
    with pytest.raises(sa.exc.DatabaseError):
        db.session.execute(sa.text("DELETE FROM case_events"))
    db.session.rollback()
    assert reload(c).events[0].comment is None


def test_timestamps_come_back_aware_utc(w):
    c = letter(w.dispatcher, received_at="2026-03-05T09:30:00+08:00")
    db.session.expire_all()
    c = db.session.get(Case, c.id)
    assert c.received_at.tzinfo is not None and c.received_at.utcoffset().total_seconds() == 0
    assert due_date_of(datetime(2026, 3, 5, 16, tzinfo=UTC)) == date(2026, 3, 5)


def test_register_and_assign_in_one_step(w):
    with clock.travel(local(2025, 9, 26, 9)):
        c = letter(w.dispatcher, unit_code="zyx")
    c = reload(c)
    assert (c.state, c.unit.code, c.due_date) == ("assigned", "zyx", date(2025, 10, 10))
    assert events_of(c) == ["create", "assign"]
    before = db.session.scalar(sa.select(sa.func.count(Case.id)))
    with pytest.raises(Invalid):
        letter(w.dispatcher, unit_code="nowhere")
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == before  # nothing half-done
