"""The after-commit pipeline: the one way work follows a commit.

A transaction collects domain events (casework/events.py) while it runs: the ORM
observers that `create_app` installs turn each flush into events (a case changed, the
calendar changed), and services that write set-based `emit` theirs. When the outermost
transaction commits, the batch goes to the subscribers `create_app` wired, in order (job
scheduling, cache invalidation, the outbox). A rollback drops the batch: nobody hears of
work that did not happen.

A subscriber runs after the commit, outside any transaction, and must not write to the
database. If it fails, the failure is logged and the next subscriber runs: the commit
stands, and what the subscriber would have done is repaired by reconciliation (jobs and
deliveries) or by expiry (cache entries).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, has_app_context
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from .events import CaseChanged
from .extensions import db

log = logging.getLogger(__name__)

_PENDING = "casework.pipeline.pending"
_KEY = "casework.pipeline"

Subscriber = Callable[["Batch"], None]
Observer = Callable[[Any], Iterable[Any]]  # session after a flush -> domain events


@dataclass
class Batch:
    """The domain events of one committed transaction, in the order they happened."""

    events: list[Any] = field(default_factory=list)

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    def has(self, kind: type) -> bool:
        return any(isinstance(e, kind) for e in self.events)

    def case_changes(self) -> dict[int, CaseChanged]:
        """One change per case over the whole transaction: the jobs it needed at the start
        and needs at the end, every unit it touched."""
        merged: dict[int, CaseChanged] = {}
        for change in self.of(CaseChanged):
            first = merged.get(change.case_id)
            merged[change.case_id] = change if first is None else CaseChanged(
                change.case_id, first.unit_ids | change.unit_ids, first.jobs_before, change.jobs_after)
        return merged


@dataclass
class Pipeline:
    observers: list[Observer] = field(default_factory=list)
    subscribers: list[tuple[str, Subscriber]] = field(default_factory=list)

    def observe(self, observer: Observer) -> None:
        self.observers.append(observer)

    def subscribe(self, name: str, subscriber: Subscriber) -> None:
        self.subscribers.append((name, subscriber))

    def dispatch(self, batch: Batch) -> None:
        for name, subscriber in self.subscribers:
            try:
                subscriber(batch)
            except Exception:  # noqa: BLE001 - the commit stands; reconciliation repairs
                log.exception("after-commit subscriber %s failed; the commit stands and "
                              "reconciliation repairs what it missed", name)


def emit(*events: Any) -> None:
    """Add domain events to the current transaction's batch (for set-based writes the ORM
    observers cannot see)."""
    db.session.info.setdefault(_PENDING, []).extend(events)


def install(app: Flask, pipeline: Pipeline) -> None:
    app.extensions[_KEY] = pipeline
    # The session class is shared by every app: its listeners are added once and find
    # the app's own pipeline through the app context.
    for name, listener in (("after_flush", _collect), ("after_commit", _dispatch),
                           ("after_soft_rollback", _discard)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _pipeline() -> Pipeline | None:
    return current_app.extensions.get(_KEY) if has_app_context() else None


def _collect(session, _flush_context) -> None:
    pipeline = _pipeline()
    if pipeline is None:
        return
    pending = session.info.setdefault(_PENDING, [])
    for observer in pipeline.observers:
        pending.extend(observer(session))


def _dispatch(session) -> None:
    events = session.info.pop(_PENDING, None)
    pipeline = _pipeline()
    if events and pipeline is not None:
        pipeline.dispatch(Batch(events))


def _discard(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction rolled back
        session.info.pop(_PENDING, None)
