from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Unit


def all_units() -> list[Unit]:
    """Every unit, by kind then code (the API's reference list)."""
    return db.session.scalars(sa.select(Unit).order_by(Unit.kind, Unit.code)).all()


def picker_units() -> list[Unit]:
    """Active units for the unit picker, grouped by kind then name."""
    return db.session.scalars(sa.select(Unit).where(Unit.active.is_(True))
                              .order_by(Unit.kind, Unit.name)).all()
