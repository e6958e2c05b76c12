"""Who may see what, as named predicates used by services, views and templates alike.
What a user may *do* to a case is decided by the workflow (workflows/case_flow.py)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from workflows.vocabulary import (
    ADMIN,
    DISPATCHER,
    OFFICE_ROLES,
    REVIEWER,
    SYSTEM,
    UNIT_LEADER,
    UNIT_ROLES,
)

from .models import Case


@dataclass(frozen=True)
class SystemActor:
    """The actor of jobs and commands that no person fired."""

    id: None = None
    role: str = SYSTEM
    unit_id: None = None
    display_name: str = "系统"


SYSTEM_ACTOR = SystemActor()


def can_view_case(actor, case: Case) -> bool:
    if actor.role in OFFICE_ROLES or actor.role == SYSTEM:
        return True
    return actor.role in UNIT_ROLES and case.unit_id is not None and case.unit_id == actor.unit_id


def visible_cases(actor, stmt: sa.Select) -> sa.Select:
    """Restrict a select over Case to what `actor` may see."""
    if actor.role in OFFICE_ROLES or actor.role == SYSTEM:
        return stmt
    if actor.role in UNIT_ROLES:
        return stmt.where(Case.unit_id == actor.unit_id)
    return stmt.where(sa.false())


def can_register_letters(actor) -> bool:
    return actor.role in (ADMIN, DISPATCHER)


def can_register_findings(actor) -> bool:
    # SYSTEM: `flask findings import` run by an operator.
    return actor.role in (ADMIN, REVIEWER, SYSTEM)


def can_administer(actor) -> bool:
    return actor.role in (ADMIN, SYSTEM)


def can_manage_reply_templates(actor, unit_id: int | None) -> bool:
    """答复模板: the office (admin, reviewer) keeps the ones for every unit (unit_id None); a
    unit's leader keeps the unit's own."""
    if unit_id is None:
        return actor.role in (ADMIN, REVIEWER)
    return actor.role == UNIT_LEADER and actor.unit_id == unit_id
