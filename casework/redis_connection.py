"""The Redis connection of an app: deadline jobs (RQ) and the page cache share it.

With REDIS_URL (production, CI) this is a real Redis. Without it (the embedded demo) it
is an in-process fakeredis server, which only works when the worker runs in the same
process (see jobs/worker.EmbeddedWorker and docs/stack.md)."""

from __future__ import annotations

import fakeredis
from flask import Flask, current_app
from redis import Redis

_KEY = "casework.redis"


def redis_for(app: Flask | None = None) -> Redis:
    app = app or current_app._get_current_object()
    state = app.extensions.setdefault(_KEY, {})
    if "redis" not in state:
        url = app.config.get("REDIS_URL")
        if url:
            # An unreachable Redis must cost a page or an action seconds, not the kernel's
            # two-minute connect timeout: pages and jobs fall back to the database.
            state["redis"] = Redis.from_url(url, socket_connect_timeout=2)
        else:
            state["redis"] = fakeredis.FakeRedis(server=fakeredis.FakeServer())
            state["embedded"] = True
    return state["redis"]


def is_embedded(app: Flask | None = None) -> bool:
    app = app or current_app._get_current_object()
    redis_for(app)
    return bool(app.extensions[_KEY].get("embedded"))
