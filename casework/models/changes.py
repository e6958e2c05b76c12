"""What a flush changed, as domain events for the after-commit pipeline (installed by
create_app, run after every flush). Reading the ORM's own change tracking means no
service has to remember to announce a change, nor snapshot a case before changing it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from workflows.watch import planned

from ..events import (
    CalendarChanged,
    CaseChanged,
    CaseEventRecorded,
    SynonymsChanged,
)
from .calendar import CalendarDay, CalendarYear
from .case import Case, CaseEvent
from .knowledge import SynonymGroup


class _Committed:
    """A case's attributes as they were before this flush (the database's values)."""

    def __init__(self, case: Case) -> None:
        self._state = sa.inspect(case)

    def __getattr__(self, name: str) -> Any:
        history = self._state.attrs[name].history
        if history.deleted:
            return history.deleted[0]
        if history.unchanged:
            return history.unchanged[0]
        return None


def case_changes(session) -> Iterator[CaseChanged]:
    for case in (*session.new, *session.dirty):
        if not isinstance(case, Case):
            continue
        before = frozenset() if case in session.new else planned(_Committed(case))
        units = {case.unit_id, *sa.inspect(case).attrs.unit_id.history.deleted}
        yield CaseChanged(case.id, frozenset(u for u in units if u is not None), before, planned(case))


def case_events(session) -> Iterator[CaseEventRecorded]:
    """Audit entries the ORM added (set-based inserts of the deadline watch are not seen:
    they are no hand-off)."""
    for entry in session.new:
        if isinstance(entry, CaseEvent):
            yield CaseEventRecorded(entry.id, entry.case_id, entry.event)


def reference_changes(session) -> Iterator[Any]:
    changed = {type(obj) for obj in (*session.new, *session.dirty, *session.deleted)}
    if changed & {CalendarDay, CalendarYear}:
        yield CalendarChanged()
    if SynonymGroup in changed:
        yield SynonymsChanged()
