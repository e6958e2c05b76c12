"""The workflow definition with plain objects: no Flask, no database."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from workflows import case_flow, watch
from workflows.errors import Forbidden, Invalid, NotAllowed, NotFound
from workflows.vocabulary import STATES

NOW = datetime(2026, 3, 2, 2, tzinfo=UTC)


def actor(role, unit_id=None):
    return SimpleNamespace(role=role, unit_id=unit_id, id=1)


def case(state="opened", unit_id=7, type="letter", **kw):
    base = dict(state=state, unit_id=unit_id, type=type, due_at=NOW + timedelta(days=3),
                acknowledged_at=None, extension_days_requested=None, resume_state=None,
                unit_requires_approval=False, overdue=False, escalate_at=None, escalated_at=None,
                open_dispute=None, co_units=(), disputes=())
    base.update(kw)
    base.setdefault("co_unit_ids", frozenset(co.unit_id for co in base["co_units"]))
    base["co_unit_for"] = lambda unit_id: next((co for co in base["co_units"] if co.unit_id == unit_id), None)
    return SimpleNamespace(**base)


DISPATCHER, REVIEWER, ADMIN = actor("dispatcher"), actor("reviewer"), actor("admin")
HANDLER, LEADER = actor("unit_handler", 7), actor("unit_leader", 7)
OTHER_HANDLER = actor("unit_handler", 8)
SYSTEM = actor("system")


def names(a, c):
    return [s.name for s in case_flow.allowed_events(a, c, NOW)]


def test_states_are_the_vocabulary():
    assert set(case_flow.MACHINE.states) == set(STATES)


def test_every_event_has_a_label_and_sources():
    for spec in case_flow.SPECS:
        assert spec.label and spec.source
        assert set(spec.source) <= set(STATES)


@pytest.mark.parametrize("who, state, expected", [
    (DISPATCHER, "opened", ["assign", "dismiss", "merge"]),
    (REVIEWER, "opened", []),
    (DISPATCHER, "assigned", ["reassign", "add_co_unit", "merge", "suspend"]),
    (HANDLER, "assigned", ["acknowledge", "reject_assignment", "reply", "request_extension", "suspend"]),
    (LEADER, "assigned", ["acknowledge", "reject_assignment", "reply", "request_extension", "suspend"]),
    (HANDLER, "returned", ["reply", "request_extension", "suspend"]),
    (REVIEWER, "replied", ["accept", "return_reply"]),
    (HANDLER, "replied", []),
    (REVIEWER, "reviewed", ["close"]),
    (REVIEWER, "assigned", ["extend"]),
    (HANDLER, "suspended", ["resume"]),
    (DISPATCHER, "suspended", ["add_co_unit", "resume"]),
    (HANDLER, "closed", []),
    (ADMIN, "replied", ["accept", "return_reply"]),
])
def test_allowed_events_per_role_and_state(who, state, expected):
    assert names(who, case(state)) == expected


def test_the_overdue_rule_is_the_watch_step():
    # Never offered to a person: the deadline watch marks overdue, by workflows/watch.py.
    late = case("assigned", due_at=NOW - timedelta(seconds=1))
    assert names(SYSTEM, late) == [] and "mark_overdue" not in names(ADMIN, late)
    assert watch.OVERDUE.due(late, NOW)
    assert not watch.OVERDUE.due(case("assigned"), NOW)
    assert not watch.OVERDUE.due(case("assigned", due_at=NOW - timedelta(1), overdue=True), NOW)
    assert not watch.OVERDUE.due(case("suspended", due_at=NOW - timedelta(1)), NOW)
    watch.OVERDUE.apply(late, NOW)
    assert late.overdue is True and late.overdue_at == late.due_at


def test_planned_jobs_follow_the_pending_steps():
    c = case("assigned", remind_at=NOW, reminded_at=None, escalate_at=NOW + timedelta(3))
    assert watch.planned(c) == {("remind", NOW), ("overdue", c.due_at), ("escalate", c.escalate_at)}
    c.reminded_at, c.overdue = NOW, True
    assert watch.planned(c) == {("escalate", c.escalate_at)}
    assert watch.planned(case("replied", remind_at=NOW, reminded_at=None)) == frozenset()


def test_findings_are_assigned_by_the_office_not_the_dispatcher():
    finding = case("opened", type="finding")
    assert names(REVIEWER, finding) == ["assign"]
    with pytest.raises(Forbidden):
        case_flow.authorize(DISPATCHER, finding, "assign", NOW)
    with pytest.raises(Forbidden):
        case_flow.authorize(REVIEWER, case("opened"), "assign", NOW)


def test_other_units_case_is_not_found():
    with pytest.raises(NotFound):
        case_flow.authorize(OTHER_HANDLER, case("assigned"), "reply", NOW)


def test_wrong_state_is_not_allowed_and_lists_alternatives():
    with pytest.raises(NotAllowed) as err:
        case_flow.authorize(REVIEWER, case("assigned"), "accept", NOW)
    assert err.value.allowed == ["extend"]
    assert "办理中" in err.value.message


def test_wrong_role_is_forbidden():
    with pytest.raises(Forbidden):
        case_flow.authorize(HANDLER, case("replied"), "accept", NOW)


def test_unknown_event_is_not_found():
    with pytest.raises(NotFound):
        case_flow.authorize(HANDLER, case("assigned"), "teleport", NOW)


def test_acknowledge_once():
    with pytest.raises(NotAllowed):
        case_flow.authorize(HANDLER, case("assigned", acknowledged_at=NOW), "acknowledge", NOW)


def test_extension_rules():
    assert "request_extension" not in names(HANDLER, case("assigned", extension_days_requested=3))
    assert "request_extension" not in names(HANDLER, case("assigned", due_at=NOW))
    assert "decide_extension" not in names(REVIEWER, case("assigned"))
    assert "decide_extension" in names(REVIEWER, case("assigned", extension_days_requested=3))


def test_leader_approval_switches_the_reply_path():
    c = case("assigned", unit_requires_approval=True)
    assert "reply" not in names(HANDLER, c)
    assert "submit_reply" in names(HANDLER, c)
    assert "reply" in names(LEADER, c)  # a leader's own reply needs no approval
    assert "submit_reply" not in names(HANDLER, case("assigned"))
    assert names(LEADER, case("approving", resume_state="assigned")) == ["approve_reply", "reject_draft"]


@pytest.mark.parametrize("resume_to", ["assigned", "returned"])
def test_resume_returns_to_the_paused_state(resume_to):
    c = case("suspended", resume_state=resume_to)
    case_flow.fire(c, "resume", HANDLER, NOW)
    assert c.state == resume_to


def test_fire_moves_state_and_refuses_illegal_moves():
    c = case("opened")
    case_flow.fire(c, "assign", DISPATCHER, NOW)
    assert c.state == "assigned"
    case_flow.fire(c, "acknowledge", HANDLER, NOW)
    assert c.state == "assigned"
    with pytest.raises(NotAllowed):
        case_flow.fire(c, "close", REVIEWER, NOW)
    assert c.state == "assigned"


def test_an_action_is_authorized_once(monkeypatch):
    # The machine holds no copy of the permission rules: fire() decides once, then moves.
    calls = []
    real = case_flow.denial
    monkeypatch.setattr(case_flow, "denial", lambda *a: calls.append(a[0].name) or real(*a))
    c = case("replied")
    case_flow.fire(c, "accept", REVIEWER, NOW)
    assert c.state == "reviewed" and calls == ["accept"]
    with pytest.raises(Forbidden):
        case_flow.fire(case("replied"), "accept", HANDLER, NOW)


def test_every_event_reads_the_same_everywhere():
    # One declaration per action: message, form and timeline come from the spec.
    for spec in case_flow.SPECS:
        assert spec.done and spec.done != "操作成功", spec.name
        assert spec.opens in ("folded", "expanded", "panel")
        assert set(spec.reply) <= {f.name for f in spec.fields}
        assert not spec.takes_files or spec.reply
    assert [s.name for s in case_flow.SPECS if s.reply] == ["reply", "submit_reply"]


def test_answered_is_one_predicate_for_objects_and_sql():
    assert case_flow.answered(case("closed", close_reason="accepted"))
    assert not case_flow.answered(case("closed", close_reason="dismissed"))
    assert not case_flow.answered(case("reviewed", close_reason=None))


@pytest.mark.parametrize("event, raw, field", [
    ("return_reply", {}, "reason"),
    ("return_reply", {"reason": "rude"}, "reason"),
    ("return_reply", {"reason": "other"}, "comment"),
    ("reply", {"body": "   "}, "body"),
    ("reply", {"body": "x" * 10001}, "body"),
    ("request_extension", {"days": "abc", "reason": "r"}, "days"),
    ("request_extension", {"days": 0, "reason": "r"}, "days"),
    ("request_extension", {"days": 5}, "reason"),
    ("decide_extension", {"approve": True}, "due_date"),
    ("decide_extension", {"approve": "maybe"}, "approve"),
    ("extend", {"due_date": "2026-13-01", "reason": "r"}, "due_date"),
    ("assign", {}, "unit_code"),
    ("reject_assignment", {}, "reason"),
    ("dismiss", {"reason": "other"}, "comment"),
])
def test_invalid_fields(event, raw, field):
    with pytest.raises(Invalid) as err:
        case_flow.spec(event).clean(raw)
    assert field in err.value.fields


def test_valid_fields_are_parsed():
    cleaned = case_flow.spec("request_extension").clean({"days": "5", "reason": " 需协调 "})
    assert cleaned == {"days": 5, "reason": "需协调"}
    cleaned = case_flow.spec("return_reply").clean({"reason": "buck_passing"})
    assert cleaned == {"reason": "buck_passing", "comment": None}


CITIZEN = actor("citizen")


def answered_letter(**kw):
    return case("closed", **{"close_reason": "accepted", "consent_publish": True, "publication": None,
                             "rating": None, "current_callback": None, "evaluation_excluded": False,
                             **kw})


def test_the_public_side_is_three_events_that_keep_the_state():
    public = {"publish_answer", "unpublish_answer", "rate"}
    all_names = globals()["names"]

    def names(who, letter):  # the public side only: an answered letter also allows 回访 events
        return [n for n in all_names(who, letter) if n in public]

    letter = answered_letter()
    assert names(REVIEWER, letter) == ["publish_answer"] and names(HANDLER, letter) == []
    assert names(CITIZEN, letter) == ["rate"]
    published = answered_letter(publication=SimpleNamespace(published_at=NOW))
    assert names(ADMIN, published) == ["publish_answer", "unpublish_answer"]
    # Withdrawn: the texts stay for the next publication, but there is nothing to withdraw.
    assert names(ADMIN, answered_letter(publication=SimpleNamespace(published_at=None))) == ["publish_answer"]
    for name in ("publish_answer", "unpublish_answer", "rate"):
        assert case_flow.BY_NAME[name].dest is None and case_flow.BY_NAME[name].opens == "panel"
    case_flow.fire(published, "unpublish_answer", REVIEWER, NOW)
    assert published.state == "closed"


@pytest.mark.parametrize("who, letter, error, message", [
    (REVIEWER, answered_letter(consent_publish=False), NotAllowed, "未同意公开"),
    (REVIEWER, answered_letter(close_reason="dismissed"), NotAllowed, "审核通过并办结"),
    (HANDLER, answered_letter(), Forbidden, "无权"),
    (OTHER_HANDLER, answered_letter(), NotFound, "不存在"),
])
def test_publishing_is_refused_with_a_reason(who, letter, error, message):
    with pytest.raises(error, match=message):
        case_flow.authorize(who, letter, "publish_answer", NOW)


def test_a_rating_waits_for_the_answer_and_comes_once():
    with pytest.raises(NotAllowed, match="办结后才能评价"):
        case_flow.authorize(CITIZEN, case("replied", close_reason=None, rating=None), "rate", NOW)
    with pytest.raises(NotAllowed, match="只能评价一次"):
        case_flow.authorize(CITIZEN, answered_letter(rating=SimpleNamespace(grade="satisfied")), "rate", NOW)
    with pytest.raises(Forbidden):
        case_flow.authorize(REVIEWER, answered_letter(), "rate", NOW)


@pytest.mark.parametrize("raw, problem", [
    ({"rating": "unsatisfied"}, {"reasons": "请至少选择一项不满意的原因。"}),
    ({"rating": "unsatisfied", "reasons": "other"}, {"comment": "选择“其他原因”时，请写下具体原因。"}),
    ({"rating": "unsatisfied", "reasons": ["slow", "nonsense"]}, {"reasons": "不满意的原因的取值无效。"}),
    ({"rating": "great"}, {"rating": "评价的取值无效。"}),
])
def test_rating_input(raw, problem):
    with pytest.raises(Invalid) as err:
        case_flow.BY_NAME["rate"].clean(raw)
    assert err.value.fields == problem


def test_a_rating_keeps_each_reason_once():
    cleaned = case_flow.BY_NAME["rate"].clean({"rating": "unsatisfied", "reasons": ["slow", "slow", "unsolved"]})
    assert cleaned["reasons"] == ["slow", "unsolved"]
