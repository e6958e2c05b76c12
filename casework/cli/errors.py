from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from workflows.errors import DomainError


@contextmanager
def domain_errors() -> Iterator[None]:
    """Print a domain error as a one-line failure (exit code 1) instead of a traceback."""
    try:
        yield
    except DomainError as exc:
        fields = getattr(exc, "fields", None) or {}
        detail = "".join(f"\n  {name}: {msg}" for name, msg in fields.items())
        raise click.ClickException(exc.message + detail) from None
