"""The case workflow, defined once as data.

Each `EventSpec` (workflows/events.py) says from which states an event may fire, where
it leads, who may fire it, what else must hold, which fields it takes, and how it reads
to people (its form, its message, its timeline line). From these specs we build one
shared `transitions` machine (no machine per case: docs/stack.md), decide which actions
a user may take (the UI and the API list `allowed_events`), and validate input.

Actors and cases are duck-typed: an actor has `role` and `unit_id`; a case has `state`,
`unit_id`, `type`, `due_at`, `due_date`, `acknowledged_at`, `extension_days_requested`,
`resume_state` and `unit_requires_approval`.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from transitions import Machine

from .errors import Forbidden, NotAllowed, NotFound
from .events import EventSpec, reason_details, unit_details
from .fields import Field
from .vocabulary import (
    ADMIN,
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
              (Field("unit_code", "承办单位", "unit"), _COMMENT), condition=_assigner_fits_type,
              style="primary", done="已派单", details=unit_details, opens="expanded"),
    EventSpec("reassign", "改派", ("assigned",), "assigned", OFFICE_DISPATCH | {REVIEWER},
              (Field("unit_code", "新承办单位", "unit"), Field("reason", "改派原因", "textarea")),
              condition=_assigner_fits_type, done="已改派", details=unit_details),
    EventSpec("acknowledge", "签收", ("assigned",), None, UNIT, condition=_not_acknowledged,
              style="primary", done="已签收"),
    EventSpec("reject_assignment", "退单", ("assigned",), "opened", UNIT,
              (Field("reason", "退单理由", "textarea"),), style="danger", done="已退单",
              details=unit_details),
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
    EventSpec("resume", "恢复办理", ("suspended",), RESUME, UNIT | OFFICE_DISPATCH, (_COMMENT,),
              style="primary", done="已恢复办理", details=_resume_details),
)

BY_NAME: dict[str, EventSpec] = {spec.name: spec for spec in SPECS}


def spec(name: str) -> EventSpec:
    try:
        return BY_NAME[name]
    except KeyError:
        raise NotFound(f"未知的操作：{name}") from None


def denial(spec: EventSpec, actor, case, now: datetime) -> Exception | None:
    """Why `actor` may not fire `spec` on `case` now, or None when they may."""
    if actor.role in UNIT_ROLES and actor.unit_id != case.unit_id:
        return NotFound("案件不存在。")
    if case.state not in spec.source:
        return NotAllowed(f"案件当前状态为“{STATES[case.state]}”，不能{spec.label}。")
    if actor.role not in spec.roles:
        return Forbidden(f"您无权{spec.label}。")
    if spec.condition and (reason := spec.condition(case, actor, now)):
        return reason if isinstance(reason, Exception) else NotAllowed(reason)
    return None


def allowed_events(actor, case, now: datetime) -> list[EventSpec]:
    return [s for s in SPECS if denial(s, actor, case, now) is None]


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


def answered(case) -> Any:
    """A case closed with an accepted answer. Written with `&` so that it reads the same
    on a case (a bool) and on the mapped class (an SQL condition)."""
    return (case.state == "closed") & (case.close_reason == "accepted")
