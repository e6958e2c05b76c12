from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from workflows.clock import utcnow

from ..extensions import db
from .types import UTCDateTime


class CalendarDay(db.Model):
    """A day whose status the office set by hand or imported; it wins over the package."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    working: Mapped[bool]
    note: Mapped[str] = mapped_column(sa.String(100), default="")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CalendarYear(db.Model):
    """A year whose official arrangement was entered here (so it is no longer provisional)."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(sa.String(200))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class DataVersion(db.Model):
    """A counter per kind of reference data, raised by database triggers whenever a row of
    it changes (through the app or by SQL by hand). A process keeps what it loaded for as
    long as the counter stays the same: one primary-key read per request, in every
    process, with or without Redis."""

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)


CALENDAR = "calendar"
VERSIONED = {CALENDAR: ("calendar_days", "calendar_years")}


def pg_version_statements(name: str, table: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION bump_{name}_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO data_versions (name, version) VALUES ('{name}', 1)
              ON CONFLICT (name) DO UPDATE SET version = data_versions.version + 1;
              RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION bump_{name}_version()""",
    ]


def sqlite_version_statements(name: str, table: str) -> list[str]:
    return [f"""CREATE TRIGGER {table}_version_{op.lower()} AFTER {op} ON {table}
                BEGIN
                  INSERT INTO data_versions (name, version) VALUES ('{name}', 1)
                  ON CONFLICT (name) DO UPDATE SET version = version + 1;
                END""" for op in ("INSERT", "UPDATE", "DELETE")]


_TABLES = {t.name: t for t in (CalendarDay.__table__, CalendarYear.__table__)}
for _name, _names in VERSIONED.items():
    for _table in (_TABLES[n] for n in _names):
        for _sql in pg_version_statements(_name, _table.name):
            event.listen(_table, "after_create", sa.DDL(_sql).execute_if(dialect="postgresql"))
        for _sql in sqlite_version_statements(_name, _table.name):
            event.listen(_table, "after_create", sa.DDL(_sql).execute_if(dialect="sqlite"))
