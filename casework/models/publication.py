from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from workflows.clock import utcnow

from ..extensions import db
from .types import Json, UTCDateTime


class PublishedStats(db.Model):
    """A month's figures as they were published. Never changed: a correction is a new
    version with a note, and every version stays visible."""

    __tablename__ = "published_stats"
    __table_args__ = (sa.UniqueConstraint("period", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(7))  # YYYY-MM
    version: Mapped[int]
    note: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict[str, Any]] = mapped_column(Json)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class RoundPublication(db.Model):
    """An inspection round's figures and result tables as the office issued them (the
    quarterly 通报). Never changed: a correction is a new version with a note."""

    __tablename__ = "round_publications"
    __table_args__ = (sa.UniqueConstraint("round_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_rounds.id"))
    version: Mapped[int]
    note: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict[str, Any]] = mapped_column(Json)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class Notice(db.Model):
    """The register of issued 通报 (发文登记): one 文号 per published version, unique, so
    the per-year counter can propose the next one."""

    __tablename__ = "notices"
    __table_args__ = (sa.UniqueConstraint("code", "year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))  # monthly | quarterly
    code: Mapped[str] = mapped_column(sa.String(20))  # 发文机关代字, e.g. 安政办函
    year: Mapped[int]
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)  # 安政办函〔2026〕12号
    issued_on: Mapped[date]  # 成文日期
    # What the office wrote before issuing (导语, 工作要求): {"intro": str, "requirements": str}.
    texts: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    stats_id: Mapped[int | None] = mapped_column(sa.ForeignKey("published_stats.id"), unique=True)
    round_publication_id: Mapped[int | None] = mapped_column(sa.ForeignKey("round_publications.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@event.listens_for(Notice, "before_update")
@event.listens_for(Notice, "before_delete")
@event.listens_for(RoundPublication, "before_update")
@event.listens_for(RoundPublication, "before_delete")
@event.listens_for(PublishedStats, "before_update")
@event.listens_for(PublishedStats, "before_delete")
def _immutable(mapper, connection, target) -> None:
    raise PermissionError("published statistics are immutable; publish a correction instead")
