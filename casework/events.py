"""What a committed transaction tells the rest of the system (the after-commit pipeline's
batch). Plain values: subscribers never see ORM objects, so they cannot lazy-load from a
session that has moved on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CaseChanged:
    """A case was added or changed. `jobs_before`/`jobs_after` are the deadline jobs
    (kind, moment) it needed when the transaction began and needs now; `unit_ids` are
    its unit and any unit it left."""

    case_id: int
    unit_ids: frozenset[int]
    jobs_before: frozenset[tuple[str, datetime]]
    jobs_after: frozenset[tuple[str, datetime]]


@dataclass(frozen=True)
class CaseEventRecorded:
    """An entry was added to a case's audit trail (an event fired, a record written)."""

    event_id: int
    case_id: int
    event: str


@dataclass(frozen=True)
class CalendarChanged:
    """Overrides or published years of the working-day calendar changed."""


@dataclass(frozen=True)
class SynonymsChanged:
    """The office's synonym list for search changed."""


@dataclass(frozen=True)
class UsersNotified:
    """In-app notifications of these users were added or read (written set-based)."""

    user_ids: frozenset[int]


@dataclass(frozen=True)
class DeliveriesQueued:
    """Outbox messages may go out from `not_before`."""

    not_before: datetime
