"""The counter of reference data (casework/reference.py): raised by triggers on every
change to the tables below, also by SQL by hand."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from .calendar import pg_version_statements, sqlite_version_statements
from .catalogue import CatalogueEntry, CatalogueVersion
from .policy import DeadlineRule
from .reply import ImproperPhrase
from .unit import Unit

REFERENCE = "reference"
REFERENCE_MODELS = (Unit, DeadlineRule, CatalogueEntry, CatalogueVersion, ImproperPhrase)

for _table in (m.__table__ for m in REFERENCE_MODELS):
    for _sql in pg_version_statements(REFERENCE, _table.name):
        event.listen(_table, "after_create", sa.DDL(_sql).execute_if(dialect="postgresql"))
    for _sql in sqlite_version_statements(REFERENCE, _table.name):
        event.listen(_table, "after_create", sa.DDL(_sql).execute_if(dialect="sqlite"))
