"""Deadline policy: which limit applies to a case, and when it ends.

Rules are data (the office edits them; the database keeps their history); this module
only selects a rule and does the arithmetic. Seeded defaults follow docs/domain.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from .calendar import WorkCalendar
from .clock import due_date_of, end_of_day, local_date, local_moment

FIRST = "first"   # first reply after assignment
RETURN = "return"  # reply after the office returned a reply
RESPONSE = "response"  # signing for the case after assignment (响应)
CALLBACK = "callback"  # the 12345 centre's follow-up call after closure (回访)
CO = "co"  # a co-unit's input (协办意见) to the lead unit
STAGES = {FIRST: "首次答复", RETURN: "退回后重新答复", RESPONSE: "签收", CALLBACK: "回访", CO: "协办意见"}

WORKING_DAYS = "working_days"
FIXED_DATE = "fixed_date"  # the date set by the inspection round's notice
BEFORE_LEAD = "before_lead"  # working days before the lead unit's due date


@dataclass(frozen=True)
class Rule:
    case_type: str
    stage: str
    kind: str
    days: int | None
    label: str
    category: str | None = None
    channel: str | None = None
    # The clock starts when the case was received (a policy document's issue date)
    # rather than when it was assigned.
    from_receipt: bool = False
    escalate_after_days: int = 2
    id: int | None = None

    def specificity(self) -> int:
        return (2 if self.channel else 0) + (1 if self.category else 0)

    def matches(self, case_type: str, stage: str, category: str | None, channel: str | None) -> bool:
        return (
            self.case_type == case_type
            and self.stage == stage
            and self.category in (None, category)
            and self.channel in (None, channel)
        )


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("letter", FIRST, WORKING_DAYS, 5, "咨询、求助类信件 5 个工作日内答复"),
    Rule("letter", FIRST, WORKING_DAYS, 15, "投诉类信件 15 个工作日内答复", category="complaint"),
    Rule("letter", FIRST, WORKING_DAYS, 15, "举报类信件 15 个工作日内答复", category="report"),
    Rule("letter", FIRST, WORKING_DAYS, 15, "建议类信件 15 个工作日内答复", category="suggestion"),
    Rule("letter", FIRST, WORKING_DAYS, 0, "紧急诉求当日答复", category="urgent"),
    Rule("letter", FIRST, WORKING_DAYS, 2, "“我为政府网站找错”留言 2 个工作日内办理", channel="zhaocuo"),
    Rule("letter", RETURN, WORKING_DAYS, 3, "退回后 3 个工作日内重新答复"),
    Rule("letter", RESPONSE, WORKING_DAYS, 1, "派单后 1 个工作日内签收"),
    Rule("letter", CALLBACK, WORKING_DAYS, 3, "办结后 3 个工作日内回访"),
    Rule("policy", FIRST, WORKING_DAYS, 3, "政策文件印发后 3 个工作日内公开解读材料", from_receipt=True),
    Rule("policy", RETURN, WORKING_DAYS, 3, "退回后 3 个工作日内重新提交"),
    Rule("finding", FIRST, FIXED_DATE, None, "按检查通报规定的日期完成整改"),
    Rule("finding", RETURN, WORKING_DAYS, 5, "复查不合格的，5 个工作日内重新整改"),
    *(Rule(case_type, CO, BEFORE_LEAD, 2, "协办单位在主办单位办理期限前 2 个工作日提交协办意见")
      for case_type in ("letter", "finding", "policy")),
)


def select_rule(rules: Iterable[Rule], case_type: str, stage: str,
                category: str | None = None, channel: str | None = None) -> Rule:
    """The most specific matching rule (a channel beats a category beats neither)."""
    candidates = [r for r in rules if r.matches(case_type, stage, category, channel)]
    if not candidates:
        raise LookupError(f"no deadline rule for {case_type}/{stage}/{category}/{channel}")
    return max(candidates, key=Rule.specificity)


@dataclass(frozen=True)
class Deadline:
    due_at: datetime
    provisional: bool
    # Working days of the clock started at `clock_start`; None for a fixed date, which
    # does not move when the calendar is corrected.
    clock_days: int | None


def working_day_deadline(calendar: WorkCalendar, clock_start: datetime, days: int) -> Deadline:
    due_day, provisional = calendar.add_working_days_checked(local_date(clock_start), days)
    return Deadline(end_of_day(due_day), provisional, days)


def fixed_deadline(day: date) -> Deadline:
    return Deadline(end_of_day(day), False, None)


def deadline_for(rule: Rule, calendar: WorkCalendar, clock_start: datetime,
                 fixed_date: date | None = None) -> Deadline:
    if rule.kind == FIXED_DATE:
        if fixed_date is None:
            raise ValueError(f"rule {rule.label!r} needs a fixed date")
        return fixed_deadline(fixed_date)
    return working_day_deadline(calendar, clock_start, rule.days or 0)


def co_deadline(rule: Rule, calendar: WorkCalendar, lead_due_at: datetime, now: datetime) -> Deadline:
    """A co-unit's due date: `rule.days` working days before the lead's due date, so the
    lead has them to write the one reply; never before today (a short or late lead
    clock leaves the co-unit today)."""
    day = due_date_of(lead_due_at)
    for _ in range(rule.days or 0):
        day = calendar.previous_working_day(day)
    return fixed_deadline(max(day, local_date(now)))


REMIND_AT = (8, 30)  # the start of the working day, Beijing time


@dataclass(frozen=True)
class Watch:
    """The moments a running clock is watched at: a reminder (None when it would come
    after the due moment) and the escalation to the office's 督办 list."""

    remind_at: datetime | None
    escalate_at: datetime


def watch_moments(calendar: WorkCalendar, due_at: datetime, escalate_after_days: int) -> Watch:
    due_day = due_date_of(due_at)
    remind = local_moment(calendar.previous_working_day(due_day), *REMIND_AT)
    escalate = end_of_day(calendar.add_working_days(due_day, escalate_after_days))
    return Watch(remind if remind < due_at else None, escalate)
