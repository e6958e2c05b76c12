"""Values every page reads and few transactions change, kept in Redis.

An entry is dropped when a transaction that changes what it was computed from commits:
models register which entries their rows feed (`drop_on_change`), and services that
write set-based call `drop_after_commit`. Without Redis, or if it fails, callers compute
the value from the database: the cache only ever saves work.

Like RQ, the cache assumes one Redis database per deployment.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app, has_app_context
from flask_sqlalchemy.session import Session
from redis.exceptions import RedisError
from sqlalchemy import event

from .extensions import db
from .jobs.connection import redis_for

log = logging.getLogger(__name__)

_STALE = "cache_stale"
TOKEN_TTL = 600
_WATCHED: list[tuple[type, Callable[[Any], Iterable[str]]]] = []


def _key(name: str) -> str:
    return f"casework:cache:{name}"


def get_many(names: list[str]) -> list[Any | None]:
    """The entries' values (None where missing); all None when Redis is unavailable."""
    try:
        raw = redis_for().mget([_key(n) for n in names])
    except RedisError as exc:
        log.warning("cache unavailable: %s", exc)
        return [None] * len(names)
    return [json.loads(v) if v else None for v in raw]


def put(name: str, value: Any, ttl: int) -> None:
    try:
        redis_for().set(_key(name), json.dumps(value), ex=ttl)
    except RedisError as exc:
        log.warning("cache unavailable: %s", exc)


def token(name: str) -> str | None:
    """A value that changes whenever the entry is dropped: a process may keep what it
    computed from the database for as long as the token stays the same. None without Redis."""
    try:
        redis = redis_for()
        value = redis.get(_key(name))
        if value is None:
            # The entry also expires, so a drop lost with Redis unreachable heals by itself.
            redis.set(_key(name), uuid.uuid4().hex, nx=True, ex=TOKEN_TTL)
            value = redis.get(_key(name))
    except RedisError as exc:
        log.warning("cache unavailable: %s", exc)
        return None
    return value.decode() if value else None


def drop_after_commit(*names: str) -> None:
    db.session.info.setdefault(_STALE, set()).update(names)


def drop_on_change(model: type, names_of: Callable[[Any], Iterable[str]]) -> None:
    """Whenever a row of `model` is added, changed or deleted, drop the entries
    `names_of(row)` once the transaction commits."""
    _WATCHED.append((model, names_of))


@event.listens_for(Session, "after_flush")
def _collect(session, _flush_context) -> None:
    stale = session.info.setdefault(_STALE, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        for model, names_of in _WATCHED:
            if isinstance(obj, model):
                stale.update(names_of(obj))


@event.listens_for(Session, "after_commit")
def _drop(session) -> None:
    # Entries named by a rolled-back attempt stay in the set: dropping them too is harmless.
    stale = session.info.pop(_STALE, None)
    if not stale or not has_app_context():
        return
    try:
        redis_for(current_app._get_current_object()).delete(*(_key(n) for n in stale))
    except RedisError as exc:  # nav counts still expire with their minute
        log.warning("cache unavailable: %s", exc)
