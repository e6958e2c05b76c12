"""The loop after 办结: the 响应 clock set at assignment, the 回访 opened at closure, the
centre's calls, the office's 重办 or 维持办结, and exclusions from evaluation.

Handlers run inside case_actions.apply_event's transaction; case_actions registers
`HANDLERS` (this module cannot import it: no cycles between siblings)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from workflows.deadlines import (
    CALLBACK,
    DEFAULT_RULES,
    RESPONSE,
    RETURN,
    Rule,
    select_rule,
    working_day_deadline,
)

from .. import calendar
from ..extensions import db
from ..models import Callback, Case, EvaluationExclusion
from ..queries.deadline_rules import active_rules
from . import deadlines, handlers, notifications

HANDLERS, _handles = handlers.table()


def _rule(case: Case, stage: str) -> Rule | None:
    """The office's rule for `stage`, else the default one (a database from before the
    stage existed), else None: that kind of case has no such limit."""
    for rules in (active_rules(), DEFAULT_RULES):
        try:
            return select_rule(rules, case.type, stage, case.category, case.channel)
        except LookupError:
            continue
    return None


def _limit(case: Case, stage: str, start: datetime):
    rule = _rule(case, stage)
    if rule is None:
        return None
    return working_day_deadline(calendar.current(), start, rule.days or 0)


def start_response(case: Case, now: datetime) -> None:
    """A new assignment: the unit is to sign for it within the response limit."""
    limit = _limit(case, RESPONSE, now)
    case.respond_by = limit.due_at if limit else None
    case.responded_on_time = None


def signed(case: Case, now: datetime) -> bool | None:
    """Freeze whether the unit signed in time (None: no response limit applies)."""
    case.responded_on_time = None if case.respond_by is None else now <= case.respond_by
    return case.responded_on_time


def open_callback(case: Case, now: datetime) -> Callback | None:
    """A letter closed with an answer is called back within the callback limit."""
    limit = _limit(case, CALLBACK, now) if case.type == "letter" else None
    if limit is None:
        return None
    call = Callback(case_id=case.id, round=len(case.callbacks) + 1, opened_at=now,
                    due_at=limit.due_at, due_provisional=limit.provisional)
    case.callbacks.append(call)
    return call


@_handles("call_back")
def _call_back(a):
    call = a.case.current_callback
    a.case.updated_at = a.now  # the case changed too: its version, caches and queues follow
    call.attempts += 1
    call.called_at, call.called_by_id = a.now, getattr(a.actor, "id", None)
    data = {"attempt": call.attempts, "reached": a.fields["reached"]}
    if a.fields["reached"] == "unreached":
        if call.attempts >= int(current_app.config.get("CALLBACK_MAX_ATTEMPTS", 3)):
            call.status = "unreachable"
            data["gave_up"] = True
        return a.fields.get("comment"), data
    call.status = "done"
    call.resolved = a.fields["resolved"] == "resolved"
    call.satisfaction = a.fields["satisfaction"]
    call.comment = a.fields.get("comment")
    data |= {"resolved": a.fields["resolved"], "satisfaction": call.satisfaction}
    if call.needs_decision:
        notifications.case_events([a.case], "callback_poor", a.now)
    return a.fields.get("comment"), data


def _decide(a, decision: str) -> None:
    a.case.updated_at = a.now
    call = a.case.current_callback
    call.decision, call.decision_reason, call.decided_at = decision, a.fields["reason"], a.now


@_handles("reopen")
def _reopen(a):
    """重办: back to the unit on a new clock, counted as a return; the call that asked
    for it no longer counts as the case's evaluation (the next closure is called back)."""
    _decide(a, "reopen")
    a.case.current_callback.status = "reopened"
    a.case.closed_at = a.case.close_reason = None
    a.case.return_count += 1
    deadlines.start_clock(a.case, RETURN, a.now)
    return a.fields["reason"], {"due_at": a.case.due_at.isoformat() if a.case.due_at else None}


@_handles("keep_closed")
def _keep_closed(a):
    _decide(a, "keep_closed")
    return a.fields["reason"], {}


@_handles("exclude_evaluation")
def _exclude(a):
    a.case.updated_at = a.now
    a.case.exclusion = EvaluationExclusion(case_id=a.case.id, reason=a.fields["reason"], at=a.now,
                                           by_id=getattr(a.actor, "id", None))
    db.session.add(a.case.exclusion)
    return a.fields["reason"], {}
