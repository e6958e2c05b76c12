"""主办/协办 and 退单 review, inside the transaction of the event that changes them
(the handlers below, which case_actions registers: this module cannot import it), and
the co-units' deadline watch (reconciliation runs it).

A co-unit's due date comes from the `co` deadline rule (default: 2 working days before
the lead's due date) and is fixed when the co-unit is added: the co-unit plans with it,
and a later extension of the lead's clock gives the lead more time, not the co-unit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from workflows.clock import due_date_of, local_moment
from workflows.deadlines import CO, REMIND_AT, co_deadline
from workflows.dispatch import LEAD_WORKING
from workflows.errors import Invalid, NotAllowed

from .. import calendar
from ..extensions import db
from ..models import Case, CoUnit, Dispute, Unit
from . import audit, deadlines, handlers, lookup, notifications
from .policy import rule_for
from .tx import transaction

FIELD = "co_unit_codes"
HANDLERS, _handles = handlers.table()


def add(case: Case, codes: list[str], actor, now: datetime) -> list[dict[str, Any]]:
    """Add co-units to `case`; returns what the audit entry says about each."""
    if case.due_at is None:
        raise NotAllowed("案件没有办理期限，不能安排协办。")
    units = [lookup.active_unit(code, FIELD) for code in codes]
    if any(u.id == case.unit_id for u in units):
        raise Invalid({FIELD: "主办单位不能同时作为协办单位。"})
    if already := [u.name for u in units if u.id in case.co_unit_ids]:
        raise Invalid({FIELD: f"已是协办单位：{'、'.join(already)}。"})
    deadline = co_deadline(rule_for(case, CO), calendar.current(), case.due_at, now)
    remind = local_moment(calendar.current().previous_working_day(due_date_of(deadline.due_at)), *REMIND_AT)
    added = []
    for unit in units:
        co = CoUnit(case_id=case.id, unit=unit, unit_id=unit.id, added_at=now,
                    added_by_id=getattr(actor, "id", None), due_at=deadline.due_at,
                    remind_at=remind if now < remind < deadline.due_at else None)
        case.co_units.append(co)
        added.append({"code": unit.code, "name": unit.name, "due_date": co.due_date.isoformat()})
    return added


def give_opinion(case: Case, actor, text: str, now: datetime) -> CoUnit:
    co = case.co_unit_for(actor.unit_id)
    co.opinion, co.opinion_at, co.opinion_by_id = text, now, actor.id
    if now > co.due_at and co.late_at is None:
        co.late_at = now
    return co


def check_reassignment(case: Case, unit) -> None:
    if unit.id in case.co_unit_ids:
        raise Invalid({"unit_code": "该单位是本案的协办单位；如需由其主办，请先与其协商。"})


def open_dispute(case: Case, actor, reason: str, now: datetime) -> Dispute:
    dispute = Dispute(case_id=case.id, unit_id=case.unit_id, reason=reason, requested_at=now,
                      requested_by_id=actor.id)
    case.disputes.append(dispute)
    return dispute


def decide_dispute(case: Case, decision: str, actor, now: datetime, reason: str | None = None) -> None:
    dispute = case.open_dispute
    if dispute is not None:
        dispute.decided_at, dispute.decision = now, decision
        dispute.decided_by_id, dispute.decision_reason = getattr(actor, "id", None), reason


def remind_due(now: datetime) -> int:
    """Remind co-units whose input is due at the end of the next working day, once."""
    with transaction():
        rows = db.session.execute(
            sa.update(CoUnit).where(CoUnit.opinion_at.is_(None), CoUnit.remind_at <= now,
                                    CoUnit.reminded_at.is_(None), CoUnit.due_at > now,
                                    _lead_working())
            .values(reminded_at=now).returning(CoUnit.case_id, CoUnit.unit_id, CoUnit.due_at),
            execution_options={"synchronize_session": False}).all()
        notifications.co_unit_events(rows, "co_reminder", now)
    return len(rows)


def mark_late(now: datetime) -> int:
    """Mark co-units whose due moment passed without input (协办意见超期), once."""
    with transaction():
        rows = db.session.execute(
            sa.update(CoUnit).where(CoUnit.opinion_at.is_(None), CoUnit.due_at <= now,
                                    CoUnit.late_at.is_(None), _lead_working())
            .values(late_at=now).returning(CoUnit.case_id, CoUnit.unit_id, CoUnit.due_at),
            execution_options={"synchronize_session": False}).all()
        for row in rows:
            audit.record(db.session.get(Case, row.case_id), None, "co_unit_late", now,
                         data={"unit_name": db.session.get(Unit, row.unit_id).name})
        notifications.co_unit_events(rows, "co_overdue", now)
    return len(rows)


def _lead_working() -> sa.ColumnElement:
    # Input is awaited only while the lead has not replied yet.
    return CoUnit.case_id.in_(sa.select(Case.id).where(Case.state.in_(LEAD_WORKING)))


@_handles("add_co_unit")
def _add_co_unit(a):
    added = add(a.case, a.fields["co_unit_codes"], a.actor, a.now)
    a.case.updated_at = a.now  # the case changed: a stale page must not act on it
    return a.fields.get("comment"), {"co_units": added}


@_handles("co_opinion")
def _co_opinion(a):
    co = give_opinion(a.case, a.actor, a.fields["opinion"], a.now)
    a.case.updated_at = a.now
    return None, {"unit": co.unit.code, "unit_name": co.unit.name, "late": co.late_at is not None}


@_handles("reject_assignment")
def _reject_assignment(a):
    # The clock keeps running: a refused 退单 leaves the unit its original deadline.
    open_dispute(a.case, a.actor, a.fields["reason"], a.now)
    a.case.updated_at = a.now
    unit = a.case.unit
    return a.fields["reason"], {"unit": unit.code, "unit_name": unit.name}


@_handles("refuse_rejection")
def _refuse_rejection(a):
    decide_dispute(a.case, "refused", a.actor, a.now, a.fields["reason"])
    a.case.updated_at = a.now
    unit = a.case.unit
    return a.fields["reason"], {"unit": unit.code, "unit_name": unit.name, **deadlines.audit_data(a.case)}
