"""The RQ queue of an app, on the app's Redis connection (casework/redis_connection.py)."""

from __future__ import annotations

from flask import Flask
from rq import Queue

from ..redis_connection import redis_for

QUEUE = "casework"


def queue(app: Flask | None = None) -> Queue:
    return Queue(QUEUE, connection=redis_for(app), default_timeout=300)
