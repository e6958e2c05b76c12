from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflows.clock import utcnow

from ..extensions import db
from .types import UTCDateTime


class PublicName(db.Model):
    """A name the office publishes as written: an official's public name, a unit or place
    the name detector would take for a person (units' own names are always allowed)."""

    __tablename__ = "public_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
