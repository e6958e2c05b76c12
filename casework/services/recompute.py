"""Correcting provisional due dates once a year's arrangement is entered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflows.clock import due_date_of
from workflows.vocabulary import CLOCK_RUNNING, SUSPENDED_CLOCK

from .. import clock
from ..extensions import db
from ..models import Case
from ..permissions import SYSTEM_ACTOR
from . import audit, deadlines
from .tx import transaction


@dataclass(frozen=True)
class Change:
    number: str
    old_due: date
    new_due: date
    still_provisional: bool


def recompute_provisional(actor=SYSTEM_ACTOR) -> list[Change]:
    """Recompute every open case whose due date was provisional. Each changed case gets a
    `deadline_recomputed` event; each case commits on its own, so a concurrent user
    action on one case conflicts with that case only."""
    ids = db.session.scalars(
        db.select(Case.id).where(Case.due_provisional.is_(True),
                                 Case.state.in_(CLOCK_RUNNING | SUSPENDED_CLOCK))
        .order_by(Case.id)).all()
    changes = []
    for case_id in ids:
        with transaction():
            case = db.session.get(Case, case_id)
            fresh = deadlines.recomputed(case)
            if fresh is None or (fresh.due_at == case.due_at
                                 and fresh.provisional == case.due_provisional):
                continue
            old_due = case.due_date
            case.due_at, case.due_provisional = fresh.due_at, fresh.provisional
            deadlines.set_watch(case)
            audit.record(case, actor, "deadline_recomputed", clock.now(),
                         data={"old_due_date": old_due.isoformat(),
                               "new_due_date": due_date_of(fresh.due_at).isoformat(),
                               "due_provisional": fresh.provisional})
            changes.append(Change(case.number, old_due, due_date_of(fresh.due_at),
                                  fresh.provisional))
    return changes
