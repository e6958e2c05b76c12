from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import utcnow

from ..extensions import db
from .types import UTCDateTime
from .unit import Unit


class Website(db.Model):
    """A government website a unit owns (registry of the inspections)."""

    __tablename__ = "websites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    address: Mapped[str] = mapped_column(sa.String(200), unique=True)
    # 网站标识码: 10 digits. NULL when the source gave none or a malformed one.
    site_code: Mapped[str | None] = mapped_column(sa.String(10), unique=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="open")  # open | closed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
