"""Who is told of each hand-off, declared once: event -> notice kind, recipients, text.

A hand-off is an event that gives someone else the next move (派单, 发回重办, 待审签, 退单,
延期申请 …). After such an event commits, every recipient gets an in-app notice, and an
e-mail when they have not switched that kind off (services/handoffs.py reads this table;
the deadline watch's reminders have their own texts in services/notifications.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# Recipients, resolved against the case when the notice is written.
UNIT = "unit"            # the members of the case's (lead) unit
CO_UNITS = "co_units"    # the members of the co-units this event added
LEADERS = "leaders"      # the unit's leaders (分管领导)
ASSIGNERS = "assigners"  # who assigns this kind of case: the 12345 centre for letters, else the office
OFFICE = "office"        # the e-government office (reviewers, administrators)
# Recipients outside the units: their notices also go to the group webhook.
CENTRE = frozenset({ASSIGNERS, OFFICE})


def _always(case_type: str, data: Mapping[str, Any]) -> bool:
    return True


@dataclass(frozen=True)
class Handoff:
    event: str
    kind: str  # a key of vocabulary.NOTICE_KINDS
    to: str
    # str.format fields: number, subject, unit_name, comment, due, reason, days, decision, co_due
    text: str
    applies: Callable[[str, Mapping[str, Any]], bool] = _always


HANDOFFS: tuple[Handoff, ...] = (
    Handoff("assign", "assigned", UNIT, "【新派单】{number}「{subject}」已派至本单位主办，请于 {due} 前答复。",
            lambda case_type, data: case_type != "finding"),
    Handoff("assign", "finding", UNIT, "【整改任务】{number}「{subject}」已派至本单位，请于 {due} 前完成整改。",
            lambda case_type, data: case_type == "finding"),
    Handoff("assign", "co_assigned", CO_UNITS,
            "【协办】{number}「{subject}」由{unit_name}主办，请本单位协办，于 {co_due} 前提交协办意见。",
            lambda case_type, data: bool(data.get("co_units"))),
    Handoff("add_co_unit", "co_assigned", CO_UNITS,
            "【协办】{number}「{subject}」由{unit_name}主办，请本单位协办，于 {co_due} 前提交协办意见。"),
    Handoff("reassign", "assigned", UNIT, "【改派】{number}「{subject}」已改派至本单位，请于 {due} 前答复。"),
    Handoff("return_reply", "returned", UNIT,
            "【发回重办】{number}「{subject}」的答复被发回重办（{reason}），请于 {due} 前重新答复。"),
    Handoff("submit_reply", "approval", LEADERS, "【待审签】{number}「{subject}」的答复已提交，等待您审签。"),
    Handoff("reject_assignment", "rejected", ASSIGNERS,
            "【退单】{unit_name}对 {number}「{subject}」提出退单：{comment}。请改派或驳回。"),
    Handoff("refuse_rejection", "rejection_refused", UNIT,
            "【退单被驳回】{number}「{subject}」仍由本单位办理：{comment}。办理期限不变（{due}）。"),
    Handoff("request_extension", "extension_requested", OFFICE,
            "【延期申请】{unit_name}申请将 {number}「{subject}」延长 {days} 个工作日：{comment}。"),
    Handoff("decide_extension", "extension_decided", UNIT, "【延期审批】{number}「{subject}」的延期申请{decision}。"),
)

EVENTS = frozenset(h.event for h in HANDOFFS)

# The kinds each side of the work can receive (the preferences page lists these).
UNIT_SIDE = ("assigned", "finding", "co_assigned", "returned", "approval", "rejection_refused",
             "extension_decided", "reminder", "overdue", "escalated", "co_reminder", "co_overdue")
OFFICE_SIDE = ("rejected", "extension_requested", "overdue", "escalated")


def handoffs_of(event: str, case_type: str, data: Mapping[str, Any]) -> list[Handoff]:
    return [h for h in HANDOFFS if h.event == event and h.applies(case_type, data)]
