"""A table of event handlers and the decorator that fills it: case_actions keeps one for
the core events, followup and co_handling one each for theirs (they cannot import
case_actions), and case_actions merges them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def table() -> tuple[dict[str, Callable[..., Any]], Callable[..., Callable]]:
    handlers: dict[str, Callable[..., Any]] = {}

    def handles(*names: str):
        def register(fn):
            for name in names:
                handlers[name] = fn
            return fn
        return register

    return handlers, handles
