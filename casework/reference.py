"""Reference data every state change reads and an administrator rarely changes (units,
deadline rules, the 派单目录, improper phrases), kept per process as plain values.

Database triggers raise a counter in `data_versions` whenever a row of such a table
changes, through the app or by SQL by hand (models/reference.py; the calendar and the
accounts have counters of their own). A request or job reads every counter once per
transaction, in one statement, and a process uses what it keeps only while its counter
is unchanged: the
next request in any process sees a committed change. A transaction that changed
reference data itself reads it fresh and keeps nothing (its counter is not committed yet:
another transaction may commit the same number with other rows)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import TypeVar

import sqlalchemy as sa
from flask import current_app, g, has_app_context
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from .extensions import db
from .models import DataVersion
from .models.reference import REFERENCE, REFERENCE_MODELS

T = TypeVar("T")
_KEPT = "casework.reference"
_CHANGED = "casework.reference.changed"  # in session.info: this transaction changed reference data
_VERSIONS = sa.select(DataVersion.__table__.c.name, DataVersion.__table__.c.version)


def data_version(name: str) -> int:
    """The counter `name` as this request or job first read it in its transaction (all
    counters, once; read anew after every commit or rollback)."""
    if has_app_context() and "data_versions" in g:
        return g.data_versions.get(name, 0)
    versions = dict(db.session.execute(_VERSIONS).all())
    if has_app_context():
        g.data_versions = versions
    return versions.get(name, 0)


def cached(name: str, load: Callable[[], T]) -> T:
    """`load()`'s value, kept in this process while the reference data stays the same.
    The value is shared by every thread: plain, immutable values only (never ORM rows)."""
    if not has_app_context() or _changing():
        return load()
    version = data_version(REFERENCE)  # before loading: a change committed meanwhile raises it again
    kept = current_app.extensions.setdefault(_KEPT, {})
    hit = kept.get(name)
    if hit is not None and hit[0] == version:
        return hit[1]
    value = load()
    kept[name] = (version, value)
    return value


def mark_changed() -> None:
    """For a set-based write to a reference table, which the ORM's flush does not see."""
    db.session.info[_CHANGED] = True


def _touches_reference(session) -> bool:
    return any(isinstance(obj, REFERENCE_MODELS) for obj in chain(session.new, session.dirty, session.deleted))


def _changing() -> bool:
    """Whether this transaction changed reference data (flushed, or about to be)."""
    return bool(db.session.info.get(_CHANGED)) or _touches_reference(db.session)


def _flushed(session, _context) -> None:
    if _touches_reference(session):
        session.info[_CHANGED] = True


def _ended(session, previous_transaction=None) -> None:
    """After a commit, or the rollback of the outermost transaction: the counters are
    read anew (the commit may have raised some; a rolled-back transaction may have read
    its own uncommitted counter)."""
    if previous_transaction is not None and previous_transaction.parent is not None:
        return
    session.info.pop(_CHANGED, None)
    if has_app_context():
        g.pop("data_versions", None)


def install() -> None:
    for name, listener in (("after_flush", _flushed), ("after_commit", _ended), ("after_soft_rollback", _ended)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
