"""The application's notion of "now".

Services take `now` from here so a demo seeder can replay history (`travel`), while
tests use time-machine. The override is a context variable: it never leaks between
requests or threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from workflows.clock import utcnow

_frozen: ContextVar[datetime | None] = ContextVar("casework_now", default=None)


def now() -> datetime:
    return _frozen.get() or utcnow()


@contextmanager
def travel(instant: datetime) -> Iterator[None]:
    if instant.tzinfo is None:
        raise ValueError("travel() needs an aware datetime")
    token = _frozen.set(instant)
    try:
        yield
    finally:
        _frozen.reset(token)
