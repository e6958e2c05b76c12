"""Registering new cases: letters (12345 / mayor's mailbox), findings, policy tasks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from workflows.clock import local_date
from workflows.errors import Forbidden, Invalid
from workflows.fields import Field, clean_fields
from workflows.vocabulary import CASE_TYPES, CHANNELS, LETTER_CATEGORIES

from .. import clock
from ..extensions import db
from ..models import Case
from ..permissions import can_register_findings, can_register_letters
from . import audit
from .case_actions import apply_event
from .numbering import next_number
from .tx import transaction

_SUBJECT = Field("subject", "标题", max_length=200)
_BODY = Field("body", "内容", "textarea", max_length=10000)

LETTER_FIELDS = (
    _SUBJECT,
    Field("body", "来信内容", "textarea", max_length=10000),
    Field("category", "诉求类别", "choice", required=False, choices=tuple(LETTER_CATEGORIES.items())),
    Field("channel", "来信渠道", "choice",
          choices=tuple((k, v) for k, v in CHANNELS.items() if k != "inspection")),
    Field("citizen_name", "来信人姓名", required=False, max_length=64),
    Field("citizen_phone", "联系电话", "phone", required=False),
    Field("received_at", "收到时间", "datetime", required=False),
    Field("unit_code", "承办单位（可直接派单）", "unit", required=False),
)
FINDING_FIELDS = (
    _SUBJECT, _BODY,
    Field("unit_code", "责任单位", "unit"),
    Field("rectify_by", "整改期限", "date"),
    Field("received_at", "发现时间", "datetime", required=False),
)
POLICY_FIELDS = (
    _SUBJECT, _BODY,
    Field("unit_code", "责任单位", "unit"),
    Field("received_at", "文件印发时间", "datetime", required=False),
)

def _received_at(value: datetime | None, now: datetime) -> datetime:
    if value is None:
        return now
    if value > now + timedelta(minutes=5):
        raise Invalid({"received_at": "收到时间不能晚于当前时间。"})
    return value


def new_case(actor, case_type: str, fields: dict[str, Any], now: datetime, number: str | None = None,
             event_data: dict | None = None, **extra) -> Case:
    """A new case in state opened, numbered, with its "create" event (inside the caller's
    transaction)."""
    case = Case(
        number=number or next_number(case_type, local_date(now).year),
        type=case_type,
        subject=fields["subject"],
        body=fields["body"],
        received_at=_received_at(fields.get("received_at"), now),
        state="opened",
        # A new case has none of these yet: known empty, they are never looked up, and the
        # trail collects the events this transaction records (the API answers from it).
        events=[], co_units=[], disputes=[],
        **extra,
    )
    db.session.add(case)
    audit.record(case, actor, "create", now, to_state="opened",
                 data={"type": case_type, "channel": case.channel, **(event_data or {})})
    return case


def register_letter(actor, raw: Mapping[str, Any]) -> Case:
    if not can_register_letters(actor):
        raise Forbidden("只有派单员可以登记来信。")
    fields = clean_fields(LETTER_FIELDS, raw)
    now = clock.now()
    with transaction():
        case = new_case(actor, "letter", fields, now,
                         category=fields["category"] or "consultation",
                         channel=fields["channel"],
                         citizen_name=fields["citizen_name"],
                         citizen_phone=fields["citizen_phone"])
        if fields["unit_code"]:
            # Registered and dispatched at once, in the same transaction (one INSERT).
            apply_event(actor, case, "assign", {"unit_code": fields["unit_code"]}, now)
    return case


def _register_assigned(actor, case_type: str, field_specs, raw, number: str | None = None, **extra) -> Case:
    if not can_register_findings(actor):
        raise Forbidden("只有电子政务办公室可以登记整改问题和解读任务。")
    fields = clean_fields(field_specs, raw)
    now = clock.now()
    with transaction():
        case = new_case(actor, case_type, fields, now, number,
                         rectify_by=fields.get("rectify_by"), **extra)
        apply_event(actor, case, "assign", {"unit_code": fields["unit_code"]}, now)
    return case


def register_finding(actor, raw: Mapping[str, Any], number: str | None = None) -> Case:
    """`number` is given by imports, which reserve the numbers of a whole table at once."""
    return _register_assigned(actor, "finding", FINDING_FIELDS, raw, number, channel="inspection")


def register_policy_task(actor, raw: Mapping[str, Any]) -> Case:
    return _register_assigned(actor, "policy", POLICY_FIELDS, raw, channel="other")


REGISTER = {"letter": register_letter, "finding": register_finding, "policy": register_policy_task}


def create_case(actor, raw: Mapping[str, Any]) -> Case:
    case_type = raw.get("type")
    if not isinstance(case_type, str) or case_type not in REGISTER:
        raise Invalid({"type": f"案件类型应为 {', '.join(CASE_TYPES)} 之一。"})
    return REGISTER[case_type](actor, raw)


