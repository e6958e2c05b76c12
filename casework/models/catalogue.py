from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import utcnow

from ..extensions import db
from .types import UTCDateTime
from .unit import Unit
from .user import User


class CatalogueVersion(db.Model):
    """One change of the 派单目录 (an edit, a retirement, an import): who, when, what.
    A dispatch records the version it followed."""

    __tablename__ = "catalogue_versions"

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    summary: Mapped[str] = mapped_column(sa.String(300))

    by: Mapped[User | None] = relationship()


class CatalogueEntry(db.Model):
    """A matter (事项) of the catalogue as one version had it. Never edited in place: a
    change closes the row (`superseded_in`) and adds one with the same `matter_id`, so
    a dispatch's entry id says exactly what the catalogue said then."""

    __tablename__ = "catalogue_entries"
    __table_args__ = (
        sa.Index("ix_catalogue_entries_current", "matter_id",
                 postgresql_where=sa.text("superseded_in IS NULL"),
                 sqlite_where=sa.text("superseded_in IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int | None] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(sa.ForeignKey("catalogue_versions.number"))
    superseded_in: Mapped[int | None] = mapped_column(sa.ForeignKey("catalogue_versions.number"))
    name: Mapped[str] = mapped_column(sa.String(100))
    category: Mapped[str | None] = mapped_column(sa.String(50))
    # 、-separated, as offices write them.
    keywords: Mapped[str] = mapped_column(sa.Text, default="")
    # 县区/街道 the matter belongs to there; empty: anywhere in the city.
    area: Mapped[str | None] = mapped_column(sa.String(50))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    basis_kind: Mapped[str] = mapped_column(sa.String(16))  # sanding | document
    basis: Mapped[str] = mapped_column(sa.String(300))
    # A city department's matter: not to be pushed down to a county/township unit.
    city_level: Mapped[bool] = mapped_column(default=False)

    unit: Mapped[Unit] = relationship()

    @property
    def keyword_list(self) -> list[str]:
        return split_keywords(self.keywords)


def split_keywords(text: str | None) -> list[str]:
    """Keywords as offices write them: separated by 、，, ; or spaces, each once."""
    return list(dict.fromkeys(k for k in re.split(r"[、,，;；\s]+", text or "") if k))
