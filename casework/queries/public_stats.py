"""What the public statistics page (/stats) and the API read of what was published: a
month's versions, the current one, every month's current version, the 通报 registered
with each, and the latest published inspection round."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Notice, PublishedStats, RoundPublication


def versions(month: str) -> list[PublishedStats]:
    return db.session.scalars(sa.select(PublishedStats).where(PublishedStats.period == month)
                              .order_by(PublishedStats.version)).all()


def current(month: str | None = None) -> PublishedStats | None:
    """The latest version of `month`, or of the latest published month."""
    stmt = sa.select(PublishedStats)
    if month:
        stmt = stmt.where(PublishedStats.period == month)
    return db.session.scalar(stmt.order_by(PublishedStats.period.desc(), PublishedStats.version.desc()).limit(1))


def history() -> list[PublishedStats]:
    """The current version of every published month, oldest first."""
    latest = (sa.select(PublishedStats.period, sa.func.max(PublishedStats.version).label("v"))
              .group_by(PublishedStats.period).subquery())
    return db.session.scalars(sa.select(PublishedStats).join(
        latest, sa.and_(PublishedStats.period == latest.c.period, PublishedStats.version == latest.c.v))
        .order_by(PublishedStats.period)).all()


def notice_for_stats(stats_id: int) -> Notice | None:
    return db.session.scalar(sa.select(Notice).where(Notice.stats_id == stats_id))


def notice_for_round(publication_id: int) -> Notice | None:
    return db.session.scalar(sa.select(Notice).where(Notice.round_publication_id == publication_id))


def latest_round() -> RoundPublication | None:
    """The newest version of the latest round published."""
    return db.session.scalar(sa.select(RoundPublication)
                             .order_by(RoundPublication.round_id.desc(), RoundPublication.version.desc()).limit(1))
