"""Who may see what, as named predicates used by services, views and templates alike.
What a user may *do* to a case is decided by the workflow (workflows/case_flow.py)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from workflows.vocabulary import (
    ADMIN,
    CITIZEN,
    DISPATCHER,
    OFFICE_ROLES,
    REVIEWER,
    SYSTEM,
    UNIT_LEADER,
    UNIT_ROLES,
)

from .models import Case, CoUnit


@dataclass(frozen=True)
class SystemActor:
    """The actor of jobs and commands that no person fired."""

    id: None = None
    role: str = SYSTEM
    unit_id: None = None
    display_name: str = "系统"


SYSTEM_ACTOR = SystemActor()


@dataclass(frozen=True)
class Citizen:
    """The actor of the public site: nobody logged in. `following`: the letters this
    browser proved are its own (by the query code, or the number and phone)."""

    following: frozenset[str] = frozenset()
    id: None = None
    role: str = CITIZEN
    unit_id: None = None
    display_name: str = "来信人"


def can_view_case(actor, case: Case) -> bool:
    if actor.role in OFFICE_ROLES or actor.role == SYSTEM:
        return True
    if actor.role == CITIZEN:
        return case.type == "letter" and case.number in actor.following
    if actor.role not in UNIT_ROLES or actor.unit_id is None:
        return False
    # The lead unit (主办), or a co-unit (协办) that gives its input to the lead.
    return case.unit_id == actor.unit_id or actor.unit_id in case.co_unit_ids


def visible_case_branches(actor) -> list | None:
    """What `actor` may see of Case, as conditions any one of which suffices: None for
    every case, [] for none. A keyset page reads each branch from its own index."""
    if actor.role in OFFICE_ROLES or actor.role == SYSTEM:
        return None
    if actor.role in UNIT_ROLES:
        return [Case.unit_id == actor.unit_id,
                Case.id.in_(sa.select(CoUnit.case_id).where(CoUnit.unit_id == actor.unit_id))]
    return []


def visible_cases(actor, stmt: sa.Select) -> sa.Select:
    """Restrict a select over Case to what `actor` may see."""
    branches = visible_case_branches(actor)
    if branches is None:
        return stmt
    return stmt.where(sa.or_(*branches) if branches else sa.false())


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
