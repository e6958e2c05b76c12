"""Firing workflow events on a case: `perform` is the one entry point for every action
a person (or a job) takes on a case.

The workflow (workflows/case_flow.py) decides whether the event may fire and moves the
state; the handler below applies what the event means to the record (unit, clock,
reply, review) and returns the audit comment and data. All of it commits together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from workflows import case_flow
from workflows.clock import local_date
from workflows.deadlines import FIRST, RETURN
from workflows.errors import Conflict, Invalid, NotAllowed, NotFound
from workflows.vocabulary import CLOCK_RUNNING, OPEN_STATES
from workflows.watch import OVERDUE

from .. import calendar, clock
from ..extensions import db
from ..models import Case, Reply, Review
from . import (
    answer_actions,
    attachments,
    audit,
    catalogue,
    co_handling,
    deadlines,
    drafts,
    followup,
    handlers,
    lookup,
    quality,
)
from .tx import transaction


@dataclass
class Action:
    actor: Any
    case: Case
    fields: dict[str, Any]
    now: datetime
    from_state: str
    uploads: list[attachments.Upload] = field(default_factory=list)


Outcome = tuple[str | None, dict[str, Any]]  # audit comment, audit data
HANDLERS, handles = handlers.table()  # the core events' (below), and those of followup and co_handling
HANDLERS.update(followup.HANDLERS)
HANDLERS.update(co_handling.HANDLERS)


def perform(actor, number: str, event: str, raw: Mapping[str, Any] | None = None,
            expected_version: int | None = None,
            uploads: list[attachments.Upload] | None = None,
            read: Callable[[Case], Any] | None = None) -> Any:
    """Fire `event` on case `number` as `actor`, in one transaction; returns the case.

    `expected_version` is the version the user saw; if the case changed since, nothing
    happens and Conflict is raised (a stale page must not act on a newer case).
    `uploads` are evidence files for a reply. `read`, when given, is called with the
    changed case inside the transaction, once the change is flushed, and its result is
    returned instead: what the caller shows of the case, taken from what the transaction
    holds rather than read again after the commit (which expires every loaded row).
    """
    now = clock.now()
    uploads = attachments.check(uploads or [])
    with transaction():
        case = lookup.case_for(actor, number)
        if expected_version is not None and case.version != expected_version:
            raise Conflict("该案件已被他人更新，请刷新页面查看最新情况后再操作。")
        apply_event(actor, case, event, raw or {}, now, uploads)
        if read is not None:
            db.session.flush()  # the new version and the audit event, as they will commit
            return read(case)
    return case


def apply_event(actor, case: Case, event: str, raw: Mapping[str, Any], now: datetime,
                uploads: list[attachments.Upload] | None = None) -> None:
    """The body of `perform`, for services that fire an event inside their own transaction.
    Deadline jobs and caches follow the commit (the after-commit pipeline sees the case
    change): nothing here snapshots them."""
    spec = case_flow.authorize(actor, case, event, now)
    fields = spec.clean(raw)
    if uploads and not spec.takes_files:
        raise Invalid({"files": "只有提交答复时可以上传附件。"})
    from_state = case.state
    # Handlers query (units, replies); without this each query would flush the half-done
    # change and bump the version twice for one action.
    with db.session.no_autoflush:
        pending = [p for p in case_flow.PENDING if p.is_open(case)]
        case_flow.transition(case, spec)
        handler = HANDLERS.get(event)
        action = Action(actor, case, fields, now, from_state, uploads or [])
        comment, data = handler(action) if handler else (None, {})
        lapsed = _end_lapsed(case, spec, pending, now)
    audit.record(case, actor, event, now, from_state=from_state, to_state=case.state,
                 comment=comment, data=data)
    for request in lapsed:
        audit.record(case, actor, request.record.name, now, data={"by": event, "by_label": spec.label})


def _end_lapsed(case: Case, spec, pending, now: datetime) -> list:
    """The pending requests this event ended without deciding them: a new clock cleared
    the extension request, or the case left the state its 退单 could be reviewed in."""
    lapsed = []
    for request in pending:
        if spec.name in request.decided_by:
            continue
        if request.is_open(case) and case.state not in request.open_in:
            if request.record.name == "dispute_lapsed":
                co_handling.decide_dispute(case, "lapsed", None, now)
            else:
                case.extension_days_requested = None
        if not request.is_open(case):
            lapsed.append(request)
    return lapsed


@handles("assign", "reassign")
def _assign(a: Action) -> Outcome:
    unit = lookup.active_unit(a.fields["unit_code"])
    previous = a.case.unit
    if previous is not None and previous.id == unit.id:
        raise Invalid({"unit_code": "新承办单位与当前承办单位相同。"})
    followed = catalogue.check_dispatch(a.actor, a.case, unit, a.fields)
    co_handling.check_reassignment(a.case, unit)
    a.case.unit = unit
    a.case.unit_id = unit.id
    a.case.assigned_at = a.now
    a.case.acknowledged_at = None
    deadlines.start_clock(a.case, FIRST, a.now)
    followup.start_response(a.case, a.now)
    data = {"unit": unit.code, "unit_name": unit.name, **deadlines.audit_data(a.case), **followed}
    if previous is not None:
        data["previous_unit"] = previous.code
    if a.case.open_dispute is not None:
        co_handling.decide_dispute(a.case, "reassigned", a.actor, a.now, a.fields.get("reason"))
        data["dispute"] = "改派"
    if a.fields.get("co_unit_codes"):
        data["co_units"] = co_handling.add(a.case, a.fields["co_unit_codes"], a.actor, a.now)
    return a.fields.get("comment") or a.fields.get("reason"), data


@handles("acknowledge")
def _acknowledge(a: Action) -> Outcome:
    a.case.acknowledged_at = a.now
    return None, {"on_time": followup.signed(a.case, a.now)}


def _mark_late_reply(a: Action) -> None:
    """A reply given after the due moment ends a clock that ran late: the case is overdue
    by the watch's own rule, even if its job has not run yet."""
    if a.from_state in CLOCK_RUNNING and OVERDUE.reached(a.case, a.now):
        OVERDUE.apply(a.case, a.now)


def _quality_flags(a: Action) -> list:
    # The hints are the letter review's reasons (答非所问, 推诿敷衍 …): a finding's
    # rectification report is judged by re-inspection, not by them.
    if a.case.type == "finding":
        return []
    return quality.flags(f"{a.case.subject}\n{a.case.body}", a.fields["body"],
                         names=(a.case.citizen_name or "",), phones=(a.case.citizen_phone or "",))


def _new_reply(a: Action, status: str) -> Reply:
    attempt = (db.session.scalar(sa.select(sa.func.max(Reply.attempt))
                                 .where(Reply.case_id == a.case.id)) or 0) + 1
    reply = Reply(case_id=a.case.id, attempt=attempt, body=a.fields["body"],
                  internal_note=a.fields.get("note"), status=status,
                  author_id=a.actor.id, submitted_at=a.now,
                  quality_flags=_quality_flags(a))
    db.session.add(reply)
    if a.uploads:
        attachments.attach(a.case, a.uploads, a.actor.id, reply=reply)
    drafts.discard(a.case.id, a.actor.id)
    return reply


def _reply_in(case: Case, status: str) -> Reply:
    reply = db.session.scalar(sa.select(Reply).where(Reply.case_id == case.id,
                                                     Reply.status == status)
                              .order_by(Reply.attempt.desc()).limit(1))
    if reply is None:
        raise NotAllowed("找不到待处理的答复。")
    return reply


@handles("reply")
def _reply(a: Action) -> Outcome:
    reply = _new_reply(a, "submitted")
    a.case.replied_at = a.now
    _mark_late_reply(a)
    return None, {"attempt": reply.attempt}


@handles("submit_reply")
def _submit_reply(a: Action) -> Outcome:
    reply = _new_reply(a, "pending_approval")
    a.case.resume_state = a.from_state
    return None, {"attempt": reply.attempt}


@handles("approve_reply")
def _approve_reply(a: Action) -> Outcome:
    reply = _reply_in(a.case, "pending_approval")
    reply.status = "submitted"
    reply.approved_by_id = a.actor.id
    reply.approved_at = a.now
    a.case.resume_state = None
    a.case.replied_at = a.now
    _mark_late_reply(a)
    return a.fields.get("comment"), {"attempt": reply.attempt}


@handles("reject_draft")
def _reject_draft(a: Action) -> Outcome:
    reply = _reply_in(a.case, "pending_approval")
    reply.status = "draft_rejected"
    a.case.resume_state = None
    return a.fields["reason"], {"attempt": reply.attempt}


def _review(a: Action, verdict: str, comment: str | None = None) -> Reply:
    reply = _reply_in(a.case, "submitted")
    reply.status = "accepted" if verdict == "accept" else "returned"
    db.session.add(Review(reply_id=reply.id, verdict=verdict, reason=a.fields.get("reason"),
                          comment=comment or a.fields.get("comment"), reviewer_id=a.actor.id, at=a.now))
    return reply


@handles("accept")
def _accept(a: Action) -> Outcome:
    reply = _review(a, "accept")
    a.case.reviewed_at = a.now
    # Frozen now: later calendar or rule changes never move a published figure.
    a.case.on_time = not a.case.overdue
    a.case.handling_days = calendar.working_days_between(local_date(a.case.received_at),
                                                         local_date(reply.submitted_at))
    return a.fields.get("comment"), {"attempt": reply.attempt, "on_time": a.case.on_time}


@handles("return_reply")
def _return_reply(a: Action) -> Outcome:
    reply = _review(a, "return")
    _send_back(a)
    return a.fields.get("comment"), {"attempt": reply.attempt, "reason": a.fields["reason"],
                                     **deadlines.audit_data(a.case)}


def _send_back(a: Action) -> None:
    a.case.return_count += 1
    deadlines.start_clock(a.case, RETURN, a.now)


@handles("pass_reinspection")
def _pass_reinspection(a: Action) -> Outcome:
    # 复查合格 is the verdict and the end of the case in one step: accepted and closed.
    comment, data = _accept(a)
    _close(a.case, "accepted", a.now)
    return comment, data


@handles("fail_reinspection")
def _fail_reinspection(a: Action) -> Outcome:
    items = a.fields["open_items"]
    # The review says what is still wrong (the unit reads it with its report); the audit
    # entry keeps the items as data, shown as their own line.
    said = "仍存在的问题：" + "；".join(items)
    reply = _review(a, "return", comment="；".join(filter(None, [said, a.fields.get("comment")])))
    _send_back(a)
    return a.fields.get("comment"), {"attempt": reply.attempt, "open_items": items,
                                     **deadlines.audit_data(a.case)}


def _close(case: Case, reason: str, now: datetime) -> None:
    case.closed_at = now
    case.close_reason = reason


@handles("close")
def _close_accepted(a: Action) -> Outcome:
    # The due date stays on record: it is what the frozen on-time flag was judged against.
    _close(a.case, "accepted", a.now)
    call = followup.open_callback(a.case, a.now)
    return a.fields.get("comment"), {"callback_due": call.due_at.isoformat()} if call else {}


@handles("dismiss")
def _dismiss(a: Action) -> Outcome:
    _close(a.case, "dismissed", a.now)
    return a.fields.get("comment"), {"reason": a.fields["reason"]}


@handles("merge")
def _merge(a: Action) -> Outcome:
    number = a.fields["primary_number"].upper()
    try:
        primary = lookup.case_for(a.actor, number)
    except NotFound:
        # The typed number is wrong, not this case: the form stays, with what was typed.
        raise Invalid({"primary_number": f"找不到主案件“{number}”，请核对编号。"}) from None
    if primary.id == a.case.id:
        raise Invalid({"primary_number": "不能将案件并入其自身。"})
    if primary.state not in OPEN_STATES or primary.merged_into_id is not None:
        raise Invalid({"primary_number": "主案件已办结，不能并入。"})
    a.case.merged_into = primary
    _close(a.case, "merged", a.now)
    deadlines.stop_clock(a.case)
    audit.record(primary, a.actor, "merged_in", a.now, comment=a.fields.get("comment"),
                 data={"duplicate": a.case.number})
    return a.fields.get("comment"), {"primary": primary.number}


@handles("request_extension")
def _request_extension(a: Action) -> Outcome:
    a.case.extension_days_requested = a.fields["days"]
    return a.fields["reason"], {"days": a.fields["days"]}


@handles("decide_extension")
def _decide_extension(a: Action) -> Outcome:
    days = a.case.extension_days_requested
    a.case.extension_days_requested = None
    if not a.fields["approve"]:
        return a.fields.get("comment"), {"approved": False, "days": days}
    deadlines.set_due_date(a.case, a.fields["due_date"], a.now)
    return a.fields.get("comment"), {"approved": True, "days": days, **deadlines.audit_data(a.case)}


@handles("extend")
def _extend(a: Action) -> Outcome:
    deadlines.set_due_date(a.case, a.fields["due_date"], a.now)
    return a.fields["reason"], deadlines.audit_data(a.case)


@handles("suspend")
def _suspend(a: Action) -> Outcome:
    a.case.resume_state = a.from_state
    a.case.suspended_at = a.now
    return a.fields["reason"], {}


@handles("resume")
def _resume(a: Action) -> Outcome:
    paused = calendar.working_days_between(local_date(a.case.suspended_at), local_date(a.now))
    a.case.resume_state = a.case.suspended_at = None
    deadlines.shift(a.case, paused)
    return a.fields.get("comment"), {"paused_working_days": paused, **deadlines.audit_data(a.case)}


@handles("publish_answer")
def _publish_answer(a: Action) -> Outcome:
    return None, answer_actions.publish(a.case, a.fields, a.now)


@handles("unpublish_answer")
def _unpublish_answer(a: Action) -> Outcome:
    answer_actions.withdraw(a.case)
    return None, {}


@handles("rate")
def _rate(a: Action) -> Outcome:
    return answer_actions.rate(a.case, a.fields, a.now)
