"""The deadline watch as data: reminder, overdue marking and escalation.

Each step says which moment of a running clock it waits for, what must still be pending,
what else must hold when it fires, and what it sets. The same declaration is read three
ways: `due(step, case, now)` in Python (a reply given after the due moment marks the
case overdue itself), as a guarded set-based UPDATE (services/watch.py builds its WHERE
and SET from it), and as the jobs a case needs (`planned`, and reconciliation's SQL).
This is the only statement of the overdue rule.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .events import Record
from .vocabulary import CLOCK_RUNNING


class _Now:
    """The moment the step is evaluated at."""

    def __repr__(self) -> str:
        return "NOW"


NOW = _Now()


@dataclass(frozen=True)
class Column:
    """The value of another column of the same case."""

    name: str


@dataclass(frozen=True)
class Test:
    column: str
    op: str  # "is", "<=", ">"
    value: Any  # None, True, False, NOW or a Column

    def holds(self, case, now: datetime) -> bool:
        left, right = getattr(case, self.column), resolve(self.value, case, now)
        if self.op == "is":
            return left is right if right is None or isinstance(right, bool) else left == right
        if left is None or right is None:
            return False  # SQL: a comparison with NULL is not true
        return _COMPARE[self.op](left, right)


_COMPARE = {"<=": operator.le, ">": operator.gt}


def resolve(value: Any, case, now: datetime) -> Any:
    if value is NOW:
        return now
    if isinstance(value, Column):
        return getattr(case, value.name)
    return value


@dataclass(frozen=True)
class Step:
    kind: str            # the job kind: remind | overdue | escalate
    moment: str          # the column holding the moment the step waits for
    pending: tuple[Test, ...]   # not done yet (so the case still needs the job)
    guard: tuple[Test, ...]     # what else must hold when it fires
    sets: tuple[tuple[str, Any], ...]
    record: Record | None       # the audit entry it writes (a reminder writes none)
    notify: str                 # the notification kind
    bumps_version: bool = True  # a reminder is not a change of the case

    def reached(self, case, now: datetime) -> bool:
        """The moment has come and the step is still pending (whatever the state)."""
        return all(t.holds(case, now) for t in (Test(self.moment, "<=", NOW), *self.pending, *self.guard))

    def due(self, case, now: datetime) -> bool:
        """Whether the step fires for `case` at `now`: its clock runs and it is reached."""
        return case.state in CLOCK_RUNNING and self.reached(case, now)

    def apply(self, case, now: datetime) -> None:
        """The step's change on a loaded case (the UPDATE does the same set-based)."""
        for name, value in self.sets:
            setattr(case, name, resolve(value, case, now))


REMIND = Step("remind", "remind_at", pending=(Test("reminded_at", "is", None),),
              guard=(Test("due_at", ">", NOW),), sets=(("reminded_at", NOW),),
              record=None, notify="reminder", bumps_version=False)
OVERDUE = Step("overdue", "due_at", pending=(Test("overdue", "is", False),), guard=(),
               sets=(("overdue", True), ("overdue_at", Column("due_at"))),
               record=Record("mark_overdue", "标记超期"), notify="overdue")
ESCALATE = Step("escalate", "escalate_at", pending=(Test("escalated_at", "is", None),),
                guard=(Test("overdue", "is", True),), sets=(("escalated_at", NOW),),
                record=Record("escalate", "列入督办"), notify="escalated")
STEPS = (REMIND, OVERDUE, ESCALATE)
BY_KIND = {s.kind: s for s in STEPS}


def planned(case) -> frozenset[tuple[str, datetime]]:
    """The deadline jobs `case` needs now: (kind, moment) for every pending step."""
    if case.state not in CLOCK_RUNNING or case.due_at is None:
        return frozenset()
    return frozenset((s.kind, getattr(case, s.moment)) for s in STEPS
                     if getattr(case, s.moment) is not None
                     and all(t.holds(case, None) for t in s.pending))
