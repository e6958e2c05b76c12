"""Keep the audit trail append-only, in the ORM and in the database itself."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from .case import CaseEvent

PG_APPEND_ONLY = [
    """CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger
       LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'case_events is append-only'; END $$""",
    """CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
       FOR EACH ROW EXECUTE FUNCTION case_events_append_only()""",
]
SQLITE_APPEND_ONLY = [
    """CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
       BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END""",
    """CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
       BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END""",
]

for _sql in PG_APPEND_ONLY:
    event.listen(CaseEvent.__table__, "after_create", sa.DDL(_sql).execute_if(dialect="postgresql"))
for _sql in SQLITE_APPEND_ONLY:
    event.listen(CaseEvent.__table__, "after_create", sa.DDL(_sql).execute_if(dialect="sqlite"))


@event.listens_for(CaseEvent, "before_update")
@event.listens_for(CaseEvent, "before_delete")
def _refuse(mapper, connection, target) -> None:
    raise PermissionError("case events are append-only")
