"""The case workflow, defined once as data.

Each `EventSpec` (workflows/events.py) says from which states an event may fire, where
it leads, who may fire it, what else must hold, which fields it takes, and how it reads
to people (its form, its message, its timeline line). From these specs we build one
shared `transitions` machine (no machine per case: docs/stack.md), decide which actions
a user may take (the UI and the API list `allowed_events`), and validate input.

Actors and cases are duck-typed: an actor has `role` and `unit_id`; a case has `state`,
`unit_id`, `type`, `due_at`, `due_date`, `acknowledged_at`, `extension_days_requested`,
`resume_state`, `unit_requires_approval`, `co_unit_ids` (the 协办 units), `co_unit_for(unit_id)`
(a co-unit's row, with `opinion_at`), `disputes` (its 退单, with `unit_id` and `decision`) and
`open_dispute` (a 退单 awaiting review, or None).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from transitions import Machine

from .dispatch import (
    CATALOGUE_FIELDS,
    CO_UNITS_FIELD,
    LEAD_WORKING,
    catalogue_details,
    co_opinion_open,
    dispute_details,
    dispute_open,
    no_open_dispute,
)
from .errors import Forbidden, NotAllowed, NotFound
from .events import EventSpec, Record, co_unit_details, reason_details, unit_details
from .fields import Field
from .followup import call_details, callback_due, may_exclude, needs_decision, reached_needs_results
from .public_side import SPECS as PUBLIC_SIDE
from .public_side import answered as answered  # one predicate, read from here too
from .vocabulary import (
    ADMIN,
    CALL_REACHED,
    CALL_RESOLVED,
    CALL_SATISFACTION,
    DISMISS_REASONS,
    DISPATCHER,
    RETURN_REASONS,
    REVIEWER,
    STATES,
    SYSTEM,
    UNIT_HANDLER,
    UNIT_LEADER,
    UNIT_ROLES,
)

# A state whose outgoing `@resume` transition returns to the state stored in
# `case.resume_state` (suspension and leader approval both pause in another state).
RESUME = "@resume"
RESUMABLE = ("assigned", "returned")

OFFICE_DISPATCH = frozenset({ADMIN, DISPATCHER})
OFFICE_REVIEW = frozenset({ADMIN, REVIEWER})
UNIT = UNIT_ROLES


def _other_needs_comment(cleaned: dict[str, Any]) -> dict[str, str]:
    if cleaned.get("reason") == "other" and not cleaned.get("comment"):
        return {"comment": "选择“其他”时请说明具体原因。"}
    return {}


def _approval_needs_date(cleaned: dict[str, Any]) -> dict[str, str]:
    if cleaned.get("approve") and not cleaned.get("due_date"):
        return {"due_date": "批准延期时请填写新的办理期限。"}
    return {}


def _assigner_fits_type(case, actor, now) -> str | Exception | None:
    # The 12345 centre dispatches letters; the office assigns its own findings and tasks.
    if actor.role == DISPATCHER and case.type != "letter":
        return Forbidden("派单员只负责信件派单。")
    if actor.role in (REVIEWER, SYSTEM) and case.type == "letter":
        return Forbidden("信件由 12345 派单员派单。")
    return None


def _finding_only(case, actor, now) -> str | None:
    return None if case.type == "finding" else "只有整改案件需要复查。"


def _not_a_finding(case, actor, now) -> str | None:
    # A finding is re-inspected (复查), not reviewed like a letter's reply.
    return "整改案件请选择“复查合格”或“复查不合格”。" if case.type == "finding" else None


def _finding_items(case) -> dict[str, list[str]]:
    finding = getattr(case, "finding", None)
    return {"open_items": list(finding.items or []) if finding is not None else []}


def _not_acknowledged(case, actor, now) -> str | None:
    return "本单位已签收该案件。" if case.acknowledged_at is not None else None


def _can_request_extension(case, actor, now) -> str | None:
    if case.extension_days_requested is not None:
        return "已有待审批的延期申请。"
    if case.due_at is not None and now >= case.due_at:
        return "已超过办理期限，不能再申请延期。"
    return None


def _extension_pending(case, actor, now) -> str | None:
    return None if case.extension_days_requested is not None else "没有待审批的延期申请。"


def _dispute_open(case, actor, now) -> str | Exception | None:
    return dispute_open(case) or _assigner_fits_type(case, actor, now)


def _assign_details(data) -> list[str]:
    return unit_details(data) + co_unit_details(data)


def _direct_reply(case, actor, now) -> str | None:
    if case.unit_requires_approval and actor.role != UNIT_LEADER:
        return "本单位答复需经分管领导审签，请提交审签。"
    return None


def _approval_required(case, actor, now) -> str | None:
    return None if case.unit_requires_approval else "本单位未启用领导审签，请直接答复。"


_REPLY_FIELDS = (
    Field("body", "答复内容", "textarea", max_length=10000),
    Field("note", "内部办理说明（不公开）", "textarea", required=False, max_length=5000),
)
_REPLY = dict(reply=("body", "note"), takes_files=True, opens="expanded", style="primary")
_COMMENT = Field("comment", "说明", "textarea", required=False)


def _extension_details(data) -> list[str]:
    out = [f"申请延长 {data['days']} 个工作日"] if "days" in data else []
    if "approved" in data:
        out.append("批准" if data["approved"] else "不批准")
    return out


def _merge_details(data) -> list[str]:
    return [f"并入 {data['primary']}"] if data.get("primary") else []


def _open_items_details(data) -> list[str]:
    return [f"仍存在的问题：{'；'.join(data['open_items'])}"] if data.get("open_items") else []


def _resume_details(data) -> list[str]:
    if "paused_working_days" not in data:
        return []
    return [f"中止 {data['paused_working_days']} 个工作日，期限顺延"]


def _proposed_extension(case, calendar) -> dict[str, Any]:
    if case.due_at is None or not case.extension_days_requested:
        return {}
    return {"approve": "1", "due_date": calendar.add_working_days(
        case.due_date, case.extension_days_requested).isoformat()}


def _current_due_date(case, calendar) -> dict[str, Any]:
    return {"due_date": case.due_date.isoformat()} if case.due_at else {}


SPECS: tuple[EventSpec, ...] = (
    EventSpec("assign", "派单", ("opened",), "assigned", OFFICE_DISPATCH | {REVIEWER, SYSTEM},
              (Field("unit_code", "主办单位", "unit"), CO_UNITS_FIELD, _COMMENT, *CATALOGUE_FIELDS),
              condition=_assigner_fits_type, style="primary", done="已派单",
              details=lambda d: _assign_details(d) + catalogue_details(d), opens="expanded"),
    # Also the dispatcher's answer to a pending 退单 (派单异议) that the unit was right.
    EventSpec("reassign", "改派", ("assigned",), "assigned", OFFICE_DISPATCH | {REVIEWER},
              (Field("unit_code", "新承办单位", "unit"), Field("reason", "改派原因", "textarea"), *CATALOGUE_FIELDS),
              condition=_assigner_fits_type, done="已改派",
              details=lambda d: unit_details(d) + dispute_details(d) + catalogue_details(d)),
    EventSpec("acknowledge", "签收", ("assigned",), None, UNIT, condition=_not_acknowledged,
              style="primary", done="已签收"),
    # A 退单 asks the dispatcher to review the assignment; the case stays with the unit
    # and its clock runs until the dispatcher reassigns it (改派) or refuses (驳回).
    EventSpec("reject_assignment", "退单", ("assigned",), None, UNIT,
              (Field("reason", "退单理由", "textarea"),), condition=no_open_dispute,
              style="danger", done="已退单，等待派单员审核", details=unit_details),
    EventSpec("refuse_rejection", "驳回退单", ("assigned",), None, OFFICE_DISPATCH | {REVIEWER},
              (Field("reason", "驳回理由", "textarea"),), condition=_dispute_open,
              done="已驳回退单，案件仍由原单位办理", details=unit_details),
    EventSpec("add_co_unit", "增加协办单位", LEAD_WORKING, None, OFFICE_DISPATCH | {REVIEWER},
              (Field("co_unit_codes", "协办单位", "units"), _COMMENT),
              condition=_assigner_fits_type, done="已增加协办单位", details=co_unit_details),
    EventSpec("co_opinion", "提交协办意见", LEAD_WORKING, None, UNIT,
              (Field("opinion", "协办意见", "textarea", max_length=10000),),
              condition=co_opinion_open, style="primary", done="协办意见已提交，由主办单位统一答复",
              opens="expanded", party="co"),
    EventSpec("reply", "提交答复", ("assigned", "returned"), "replied", UNIT, _REPLY_FIELDS,
              condition=_direct_reply, done="答复已提交，等待审核", **_REPLY),
    EventSpec("submit_reply", "提交领导审签", ("assigned", "returned"), "approving",
              frozenset({UNIT_HANDLER}), _REPLY_FIELDS, condition=_approval_required,
              done="已提交分管领导审签", **_REPLY),
    EventSpec("approve_reply", "审签通过", ("approving",), "replied", frozenset({UNIT_LEADER}),
              (_COMMENT,), style="primary", done="审签通过，答复已提交"),
    EventSpec("reject_draft", "审签退回", ("approving",), RESUME, frozenset({UNIT_LEADER}),
              (Field("reason", "退回意见", "textarea"),), style="danger", done="已退回承办人修改"),
    EventSpec("accept", "审核通过", ("replied",), "reviewed", OFFICE_REVIEW, (_COMMENT,),
              condition=_not_a_finding, style="primary", done="审核通过"),
    EventSpec("return_reply", "发回重办", ("replied",), "returned", OFFICE_REVIEW,
              (Field("reason", "退回原因", "choice", choices=tuple(RETURN_REASONS.items())),
               _COMMENT), condition=_not_a_finding, style="danger", check=_other_needs_comment,
              done="已发回重办", details=reason_details("退回原因", RETURN_REASONS), opens="expanded"),
    # A finding's rectification report is re-inspected: the verdict is the outcome, at once
    # (合格 ends the case; 不合格 sends it back with what is still wrong).
    EventSpec("pass_reinspection", "复查合格", ("replied",), "closed", OFFICE_REVIEW, (_COMMENT,),
              condition=_finding_only, style="primary", done="复查合格，整改已办结"),
    EventSpec("fail_reinspection", "复查不合格", ("replied",), "returned", OFFICE_REVIEW,
              (Field("open_items", "仍存在的问题", "items", max_length=200), _COMMENT),
              condition=_finding_only, style="danger", done="复查不合格，已发回整改",
              details=_open_items_details, opens="expanded", options=_finding_items,
              confirm="复查不合格：{number} 将发回单位重新整改（5 个工作日）。确定吗？"),
    EventSpec("close", "办结", ("reviewed",), "closed", OFFICE_REVIEW, (_COMMENT,),
              style="primary", done="已办结"),
    EventSpec("dismiss", "不予受理", ("opened",), "closed", OFFICE_DISPATCH,
              (Field("reason", "不予受理原因", "choice", choices=tuple(DISMISS_REASONS.items())),
               _COMMENT), style="danger", check=_other_needs_comment, done="已不予受理",
              details=reason_details("不予受理原因", DISMISS_REASONS),
              confirm="不予受理后 {number} 即办结，来信人可查到不予受理的原因。确定不予受理吗？"),
    EventSpec("merge", "并单", ("opened", "assigned"), "closed", OFFICE_DISPATCH,
              (Field("primary_number", "主案件编号", "case_number", max_length=32), _COMMENT),
              done="已并单", details=_merge_details,
              confirm="并单后 {number} 即办结，由主案件一并答复。确定并单吗？"),
    EventSpec("request_extension", "申请延期", ("assigned", "returned"), None, UNIT,
              (Field("days", "申请延长工作日数", "int", minimum=1, maximum=30),
               Field("reason", "延期理由", "textarea")), condition=_can_request_extension,
              done="延期申请已提交", details=_extension_details),
    EventSpec("decide_extension", "审批延期", ("assigned", "returned", "approving", "suspended"),
              None, OFFICE_REVIEW,
              (Field("approve", "审批结果", "bool"),
               Field("due_date", "新的办理期限", "date", required=False), _COMMENT),
              condition=_extension_pending, check=_approval_needs_date, done="延期申请已审批",
              details=_extension_details, prefill=_proposed_extension),
    EventSpec("extend", "调整期限", ("assigned", "returned", "approving"), None, OFFICE_REVIEW,
              (Field("due_date", "新的办理期限", "date"), Field("reason", "调整原因", "textarea")),
              done="办理期限已调整", prefill=_current_due_date),
    EventSpec("suspend", "中止办理", ("assigned", "returned"), "suspended",
              UNIT | OFFICE_DISPATCH, (Field("reason", "中止原因（如待来信人补充材料）", "textarea"),),
              done="已中止办理"),
    EventSpec("call_back", "回访", ("closed",), None, OFFICE_DISPATCH,
              (Field("reached", "是否接通", "choice", choices=tuple(CALL_REACHED.items())),
               Field("resolved", "诉求是否解决", "choice", required=False,
                     choices=tuple(CALL_RESOLVED.items())),
               Field("satisfaction", "满意程度", "choice", required=False,
                     choices=tuple(CALL_SATISFACTION.items())), _COMMENT),
              condition=callback_due, check=reached_needs_results, style="primary",
              done="回访结果已记录", details=call_details, opens="expanded"),
    EventSpec("reopen", "重办", ("closed",), "returned", OFFICE_REVIEW,
              (Field("reason", "重办原因", "textarea"),), condition=needs_decision, style="danger",
              done="已发回承办单位重办"),
    EventSpec("keep_closed", "维持办结", ("closed",), None, OFFICE_REVIEW,
              (Field("reason", "维持办结的理由", "textarea"),), condition=needs_decision,
              done="已维持办结"),
    EventSpec("exclude_evaluation", "认定不合理诉求", ("closed",), None, OFFICE_REVIEW,
              (Field("reason", "认定理由（如诉求超出法律政策规定）", "textarea"),), condition=may_exclude,
              style="danger", done="已认定为不合理诉求，不参与评价"),
    EventSpec("resume", "恢复办理", ("suspended",), RESUME, UNIT | OFFICE_DISPATCH, (_COMMENT,),
              style="primary", done="已恢复办理", details=_resume_details),
    *PUBLIC_SIDE,
)

BY_NAME: dict[str, EventSpec] = {spec.name: spec for spec in SPECS}


def spec(name: str) -> EventSpec:
    try:
        return BY_NAME[name]
    except KeyError:
        raise NotFound(f"未知的操作：{name}") from None


def party(actor, case) -> str | None:
    """How `actor` stands to `case`: "office", "lead" (主办), "co" (协办), or None when
    the case is another unit's."""
    if actor.role not in UNIT_ROLES:
        return "office"
    if case.unit_id is not None and actor.unit_id == case.unit_id:
        return "lead"
    return "co" if actor.unit_id in case.co_unit_ids else None


def denial(spec: EventSpec, actor, case, now: datetime) -> Exception | None:
    """Why `actor` may not fire `spec` on `case` now, or None when they may."""
    side = party(actor, case)
    if side is None:
        return NotFound("案件不存在。")
    if case.state not in spec.source:
        return NotAllowed(f"案件当前状态为“{STATES[case.state]}”，不能{spec.label}。")
    if actor.role not in spec.roles:
        return Forbidden(f"您无权{spec.label}。")
    if side != "office" and side != spec.party:
        return Forbidden("协办单位只能提交协办意见，由主办单位统一答复。" if side == "co"
                         else "主办单位不提交协办意见。")
    if spec.condition and (reason := spec.condition(case, actor, now)):
        return reason if isinstance(reason, Exception) else NotAllowed(reason)
    return None


def allowed_events(actor, case, now: datetime) -> list[EventSpec]:
    # State and role first: they rule out most events without building a refusal (a
    # review queue asks this of every case it lists).
    return [s for s in SPECS if case.state in s.source and actor.role in s.roles
            and denial(s, actor, case, now) is None]


def authorize(actor, case, name: str, now: datetime) -> EventSpec:
    event = spec(name)
    problem = denial(event, actor, case, now)
    if isinstance(problem, NotAllowed):
        problem.allowed = [s.name for s in allowed_events(actor, case, now)]
        problem.extra["allowed"] = problem.allowed
    if problem is not None:
        raise problem
    return event


def _resumes_to(dest: str, data) -> bool:
    return data.model.resume_state == dest


def _build_machine() -> Machine:
    # No permission guard here: `authorize` has decided before the machine is fired. The
    # only condition left picks the destination of a resuming event.
    transitions = []
    for event in SPECS:
        dests = [(d, [partial(_resumes_to, d)]) for d in RESUMABLE] if event.dest == RESUME \
            else [(event.dest, [])]
        for dest, conditions in dests:
            transitions.append({"trigger": event.name, "source": list(event.source),
                                "dest": dest, "conditions": conditions})
    return Machine(model=None, states=list(STATES), transitions=transitions, initial=None,
                   auto_transitions=False, send_event=True)


# One machine for every case: firing through it binds nothing to the model, so loaded
# ORM rows need no reconstructor and nothing leaks (docs/stack.md).
MACHINE = _build_machine()


def transition(case, event: EventSpec) -> None:
    """Apply the state change of an authorized event to `case` (in memory)."""
    if not MACHINE.events[event.name].trigger(case):
        raise NotAllowed(f"不能{event.label}。")


def fire(case, name: str, actor, now: datetime) -> EventSpec:
    """Check and apply the state change of `name` to `case` (in memory)."""
    event = authorize(actor, case, name, now)
    transition(case, event)
    return event



def _lapsed_details(data) -> list[str]:
    return [f"因“{data['by_label']}”终止，未经审批"] if data.get("by_label") else []


@dataclass(frozen=True)
class Pending:
    """A request that waits for someone's decision. Another event may end it first (a
    return restarts the clock, a merge closes the case): the timeline then says so with
    `record`, instead of the request silently disappearing."""

    is_open: Callable[[Any], bool]
    decided_by: frozenset[str]
    # Outside these states nobody can decide it any more: it ends.
    open_in: frozenset[str]
    record: Record


PENDING: tuple[Pending, ...] = (
    Pending(lambda case: case.extension_days_requested is not None, frozenset({"decide_extension"}),
            frozenset(BY_NAME["decide_extension"].source),
            Record("extension_lapsed", "延期申请终止", _lapsed_details)),
    Pending(lambda case: case.open_dispute is not None, frozenset({"reassign", "refuse_rejection"}),
            frozenset(BY_NAME["refuse_rejection"].source),
            Record("dispute_lapsed", "退单申请终止", _lapsed_details)),
)
