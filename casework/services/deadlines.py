"""Setting and moving a case's clock. Called inside a service's transaction."""

from __future__ import annotations

from datetime import date, datetime

from workflows.clock import due_date_of, end_of_day, local_date
from workflows.deadlines import (
    Deadline,
    deadline_for,
    fixed_deadline,
    watch_moments,
    working_day_deadline,
)
from workflows.errors import Invalid

from .. import calendar
from ..extensions import db
from ..models import Case, DeadlineRule
from ..queries.deadline_rules import active_rules
from .policy import rule_for

DEFAULT_ESCALATE_AFTER = 2


def audit_data(case: Case) -> dict:
    """The case's deadline as the audit entry of an event that set or moved it records it."""
    return {"due_at": case.due_at.isoformat() if case.due_at else None,
            "due_provisional": case.due_provisional}


def _escalate_after(case: Case) -> int:
    if case.deadline_rule_id is None:
        return DEFAULT_ESCALATE_AFTER
    for rule in active_rules():  # cached per app context
        if rule.id == case.deadline_rule_id:
            return rule.escalate_after_days
    rule = db.session.get(DeadlineRule, case.deadline_rule_id)  # superseded since
    return rule.escalate_after_days if rule else DEFAULT_ESCALATE_AFTER


def set_watch(case: Case, escalate_after: int | None = None) -> None:
    """Derive the reminder and escalation moments from the due date (a new clock gets a
    new reminder; overdue and escalation stay on record once they happened)."""
    if case.due_at is None:
        case.remind_at = case.escalate_at = None
        return
    days = escalate_after if escalate_after is not None else _escalate_after(case)
    watch = watch_moments(calendar.current(), case.due_at, days)
    case.remind_at, case.escalate_at = watch.remind_at, watch.escalate_at
    case.reminded_at = None


def _apply(case: Case, deadline: Deadline, escalate_after: int | None = None) -> None:
    case.due_at = deadline.due_at
    case.due_provisional = deadline.provisional
    case.clock_days = deadline.clock_days
    set_watch(case, escalate_after)


def start_clock(case: Case, stage: str, now: datetime) -> Deadline:
    rule = rule_for(case, stage)
    start = case.received_at if rule.from_receipt else now
    deadline = deadline_for(rule, calendar.current(), start, fixed_date=case.rectify_by)
    case.clock_start = start
    case.deadline_rule_id = rule.id
    case.extension_days_requested = None
    _apply(case, deadline, rule.escalate_after_days)
    return deadline


def stop_clock(case: Case) -> None:
    case.clock_start = case.clock_days = case.due_at = case.deadline_rule_id = None
    case.remind_at = case.escalate_at = None
    case.due_provisional = False
    case.extension_days_requested = None


def set_due_date(case: Case, day: date, now: datetime, field: str = "due_date") -> None:
    if day < local_date(now):
        raise Invalid({field: "新的办理期限不能早于今天。"})
    _apply(case, fixed_deadline(day))


def shift(case: Case, working_days: int) -> None:
    """Add working days to the running clock (time spent suspended is given back)."""
    if working_days <= 0 or case.due_at is None:
        return
    if case.clock_days is not None:
        _apply(case, working_day_deadline(calendar.current(), case.clock_start,
                                          case.clock_days + working_days))
    else:
        day, provisional = calendar.current().add_working_days_checked(due_date_of(case.due_at),
                                                                       working_days)
        case.due_at = end_of_day(day)
        case.due_provisional = provisional
        set_watch(case)


def recomputed(case: Case) -> Deadline | None:
    """The deadline this case's clock gives with today's calendar, if it is a working-day
    clock; None for a date that was set by hand."""
    if case.clock_days is None or case.clock_start is None:
        return None
    return working_day_deadline(calendar.current(), case.clock_start, case.clock_days)
