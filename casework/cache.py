"""Values every page reads and few transactions change, kept in Redis.

Entries are dropped after commit by the pipeline's subscribers (queries/nav_counts.py
names the entries a batch makes stale). Without Redis, or if it fails, callers compute
the value from the database: the cache only ever saves work, and every entry also
expires, so a drop lost with Redis unreachable heals by itself.

Like RQ, the cache assumes one Redis database per deployment.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from redis.exceptions import RedisError

from .redis_connection import redis_for

log = logging.getLogger(__name__)


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


def drop(names: Iterable[str]) -> None:
    keys = [_key(n) for n in names]
    if not keys:
        return
    try:
        redis_for().delete(*keys)
    except RedisError as exc:  # entries still expire with their TTL
        log.warning("cache unavailable: %s", exc)
