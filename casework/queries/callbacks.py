"""The 回访 queue of the 12345 centre (calls due, soonest first) and the office's list of
calls that found a problem unresolved or the writer dissatisfied."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from ..extensions import db
from ..models import Callback, Case

SHOWN = 50
TABS = {"due": "待回访", "decide": "待办公室处理"}


def _needs_decision():
    return sa.and_(Callback.status == "done", Callback.decision.is_(None),
                   sa.or_(Callback.resolved.is_(False), Callback.satisfaction == "unsatisfied"))


def _where(tab: str):
    return Callback.status == "due" if tab == "due" else _needs_decision()


def queue(tab: str, limit: int = SHOWN) -> tuple[list[Case], int]:
    """Cases of the tab with their calls loaded, the due (or oldest) first; and how many."""
    where = _where(tab)
    order = (Callback.due_at, Callback.id) if tab == "due" else (Callback.called_at, Callback.id)
    cases = db.session.scalars(sa.select(Case).join(Callback, Callback.case_id == Case.id).where(where)
                               .options(contains_eager(Case.callbacks), joinedload(Case.unit),
                                        joinedload(Case.exclusion))
                               .order_by(*order).limit(limit)).unique().all()
    return cases, counts()[tab]


def counts() -> dict[str, int]:
    return {tab: db.session.scalar(sa.select(sa.func.count()).select_from(Callback).where(_where(tab)))
            for tab in TABS}
