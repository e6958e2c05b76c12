"""One shared `transitions` machine vs a Machine per case (the design choice in workflows/)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from transitions import Machine

from workflows import case_flow
from workflows.vocabulary import STATES

from .harness import Row, median_of, timed

NOW = datetime(2026, 3, 2, tzinfo=UTC)
DISPATCHER = SimpleNamespace(role="dispatcher", unit_id=None, id=1)


def _case():
    return SimpleNamespace(state="opened", unit_id=1, type="letter", due_at=None, acknowledged_at=None,
                           extension_days_requested=None, resume_state=None, unit_requires_approval=False,
                           overdue=False, escalate_at=None, escalated_at=None)


def _shared(n: int) -> float:
    def run():
        for _ in range(n):
            case_flow.fire(_case(), "assign", DISPATCHER, NOW)
    return timed(run) / n * 1e6


def _per_case(n: int) -> float:
    transitions = [{"trigger": s.name, "source": list(s.source), "dest": s.dest if s.dest != "@resume" else "assigned"}
                   for s in case_flow.SPECS]

    def run():
        for _ in range(n):
            case = _case()
            Machine(model=case, states=list(STATES), transitions=transitions, initial=case.state,
                    auto_transitions=False)
            case_flow.authorize(DISPATCHER, case, "assign", NOW)
            case.assign()
    return timed(run) / n * 1e6


def run(repeat: int = 5, n: int = 5000) -> list[Row]:
    shared = median_of(repeat, lambda: _shared(n))
    per_case = median_of(repeat, lambda: _per_case(n))
    return [Row("fire one event: shared machine (used) vs a Machine per case", shared, per_case, "µs",
                "shared ≤ per case", shared <= per_case)]
