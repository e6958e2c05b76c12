"""Tables that only ever grow: the audit trail, the published statistics and rounds, and
the register of issued notices. The ORM
refuses updates and deletes, and so do database triggers (also written out in the
migrations that create these tables)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from .case import CaseEvent
from .publication import Notice, PublishedStats, RoundPublication


def pg_statements(table: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{table} is append-only'; END $$""",
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
    ]


def sqlite_statements(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
    ]


for _model in (CaseEvent, PublishedStats, RoundPublication, Notice):
    _table = _model.__table__
    for _sql in pg_statements(_table.name):
        event.listen(_table, "after_create", sa.DDL(_sql).execute_if(dialect="postgresql"))
    for _sql in sqlite_statements(_table.name):
        event.listen(_table, "after_create", sa.DDL(_sql).execute_if(dialect="sqlite"))


@event.listens_for(CaseEvent, "before_update")
@event.listens_for(CaseEvent, "before_delete")
def _refuse(mapper, connection, target) -> None:
    raise PermissionError("case events are append-only")
