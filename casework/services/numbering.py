"""Human-readable case numbers: XJ-2026-000123 (letters), ZG-… (findings), JD-… (policy)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from workflows.vocabulary import NUMBER_PREFIX

from ..extensions import db
from ..models import CaseNumberSequence

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def next_number(case_type: str, year: int) -> str:
    prefix = NUMBER_PREFIX[case_type]
    session = db.session
    insert = _INSERT[session.get_bind().dialect.name]
    session.execute(insert(CaseNumberSequence).values(prefix=prefix, year=year, last=0)
                    .on_conflict_do_nothing())
    # The UPDATE takes the row lock until commit, so concurrent intakes never share a number.
    last = session.execute(
        sa.update(CaseNumberSequence)
        .where(CaseNumberSequence.prefix == prefix, CaseNumberSequence.year == year)
        .values(last=CaseNumberSequence.last + 1)
        .returning(CaseNumberSequence.last)
    ).scalar_one()
    return f"{prefix}-{year}-{last:06d}"
