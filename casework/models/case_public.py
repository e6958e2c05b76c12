"""The public side of a letter, each in its own table one-to-one with `cases`: the answer
as published on the portal, and the writer's rating. Most cases have neither; the
case rows the office works on every minute stay narrow."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import BigId, Json, SearchTokens, UTCDateTime

PUBLISHED = sa.text("published_at IS NOT NULL")
UNSATISFIED = sa.text("grade = 'unsatisfied'")


class CasePublication(db.Model):
    """The redacted texts the reviewer approved. Withdrawing keeps the row (published_at
    None): publishing again starts from what the reviewer restored before."""

    __tablename__ = "case_publications"
    __table_args__ = (
        # The public list of answered letters, newest first, filtered by unit or category
        # (partial: published letters only).
        sa.Index("ix_case_publications_at", "published_at", "case_id",
                 postgresql_where=PUBLISHED, sqlite_where=PUBLISHED),
        sa.Index("ix_case_publications_unit", "unit_id", "published_at", "case_id",
                 postgresql_where=PUBLISHED, sqlite_where=PUBLISHED),
        sa.Index("ix_case_publications_category", "category", "published_at", "case_id",
                 postgresql_where=PUBLISHED, sqlite_where=PUBLISHED),
        # Chinese search over the published texts: their bigrams (casework/text_search.py)
        # as a text[] in a GIN index on PostgreSQL. A plain column, so the planner knows how
        # common each bigram is (it ignores the statistics of a partial or expression index,
        # and then guessed 0.5% for a bigram in 27% of the letters: a 1.2 s bitmap instead
        # of a 5 ms ordered scan). SQLite (demo, tests) matches the tokens with LIKE; its
        # B-tree copy of the index is unused but keeps one schema for both.
        sa.Index("ix_case_publications_search", "search", postgresql_using="gin"),
    )

    case_id: Mapped[int] = mapped_column(BigId, sa.ForeignKey("cases.id"), primary_key=True)
    # The case's unit and category as published (a closed letter's no longer change):
    # the public list filters and orders on this table alone, by the indexes above.
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    category: Mapped[str | None] = mapped_column(sa.String(16))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    reply: Mapped[str] = mapped_column(sa.Text)
    # The published texts' search tokens (CJK bigrams), written when they are published.
    search: Mapped[list[str] | None] = mapped_column(SearchTokens)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CaseRating(db.Model):
    """The writer's rating after closure (满意 / 基本满意 / 不满意), given once."""

    __tablename__ = "case_ratings"
    __table_args__ = (
        # The 督办 page's list of 不满意 letters, a few rows of a million (partial index).
        sa.Index("ix_case_ratings_unsatisfied", "rated_at", postgresql_where=UNSATISFIED,
                 sqlite_where=UNSATISFIED),
    )

    case_id: Mapped[int] = mapped_column(BigId, sa.ForeignKey("cases.id"), primary_key=True)
    grade: Mapped[str] = mapped_column(sa.String(24))
    # Why the writer was not satisfied: keys of workflows.citizen.UNSATISFIED_REASONS.
    reasons: Mapped[list[str] | None] = mapped_column(Json)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime)
