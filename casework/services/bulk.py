"""Set-based inserts shared by the services that write in bulk (notifications, outbox)."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_ignoring_duplicates(table, rows: list[dict]) -> None:
    """Bulk insert (one cached statement, executemany); rows whose unique key exists
    already are skipped, so a repeated job adds nothing."""
    if rows:
        insert = _INSERT[db.session.get_bind().dialect.name]
        db.session.execute(insert(table).on_conflict_do_nothing(), rows)
