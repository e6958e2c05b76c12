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


class WebsiteStatusChange(db.Model):
    """A site closed (关停) or reopened, with why and by whom: the registry shows it, and
    a closed site's absence from later rounds has its reason on record."""

    __tablename__ = "website_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    website_id: Mapped[int] = mapped_column(sa.ForeignKey("websites.id"), index=True)
    from_status: Mapped[str] = mapped_column(sa.String(10))
    to_status: Mapped[str] = mapped_column(sa.String(10))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
