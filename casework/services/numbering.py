"""Human-readable case numbers: XJ-2026-000123 (letters), ZG-… (findings), JD-… (policy)."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from workflows.vocabulary import NUMBER_PREFIX

from ..extensions import db
from ..models import CaseNumberSequence

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def reserve(case_type: str, year: int, count: int = 1) -> list[str]:
    """`count` consecutive numbers in one round trip (an import reserves all of its own);
    the upsert holds the row lock until commit, so concurrent intakes never share one."""
    prefix = NUMBER_PREFIX[case_type]
    insert = _INSERT[db.session.get_bind().dialect.name]
    stmt = insert(CaseNumberSequence).values(prefix=prefix, year=year, last=count)
    last = db.session.execute(
        stmt.on_conflict_do_update(index_elements=["prefix", "year"],
                                   set_={"last": CaseNumberSequence.last + count})
        .returning(CaseNumberSequence.last)).scalar_one()
    return [f"{prefix}-{year}-{n:06d}" for n in range(last - count + 1, last + 1)]


def next_number(case_type: str, year: int) -> str:
    return reserve(case_type, year)[0]
