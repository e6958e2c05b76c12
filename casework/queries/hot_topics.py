"""高频诉求: letters of the last 7 or 30 days clustered by what they are about (their
topic word, with the office's synonyms merged) within each category, area or unit, and
compared with the period before, so a rise is seen early (国办函〔2025〕66号: early warning
on frequent requests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from workflows.vocabulary import LETTER_CATEGORIES

from ..extensions import db
from ..models import Case, SearchDoc, Unit
from .knowledge import synonym_groups

DIMENSIONS = {"category": "按诉求类别", "area": "按区域", "unit": "按承办单位"}
MIN_LETTERS = 2      # a cluster is at least two similar letters
RISE_MIN = 3         # a rise is flagged from this many letters …
RISE_FACTOR = 1.5    # … and at least half as many again as in the previous period
SHOWN = 15


@dataclass
class Cluster:
    topic: str
    group: str
    count: int
    previous: int
    words: set[str] = field(default_factory=set)

    @property
    def said(self) -> list[str]:
        """The letters' own words, where they differ from the topic's official one."""
        return [] if self.words == {self.topic} else sorted(self.words)

    @property
    def rising(self) -> bool:
        return self.count >= RISE_MIN and self.count >= self.previous * RISE_FACTOR

    @property
    def change(self) -> str:
        if not self.previous:
            return "新出现"
        return f"{(self.count - self.previous) / self.previous:+.0%}"


@dataclass
class HotTopics:
    days: int
    by: str
    start: datetime
    end: datetime
    clusters: list[Cluster]

    @property
    def rising(self) -> int:
        return sum(c.rising for c in self.clusters)


def _column(by: str):
    return {"category": Case.category, "area": SearchDoc.area, "unit": Case.unit_id}[by]


KEPT_SECONDS = 300  # the clusters of 7 or 30 days move slowly: a page reads them at most this old
_KEPT = "casework.hot_topics"


def recent(now: datetime, days: int = 7, by: str = "category") -> HotTopics:
    """clusters() as this process computed it within the last KEPT_SECONDS: the 督办 page
    is opened all day, and clustering a month of letters costs 0.4 s on a million cases."""
    kept = current_app.extensions.setdefault(_KEPT, {})
    hit = kept.get((days, by))
    if hit is not None and 0 <= (now - hit.end).total_seconds() < KEPT_SECONDS:
        return hit
    kept[(days, by)] = found = clusters(now, days, by)
    return found


def clusters(now: datetime, days: int = 7, by: str = "category") -> HotTopics:
    start, before = now - timedelta(days=days), now - timedelta(days=2 * days)
    column = _column(by)
    current = sa.case((SearchDoc.at >= start, 1), else_=0)
    rows = db.session.execute(
        sa.select(SearchDoc.topic, column, sa.func.sum(current), sa.func.count())
        .join(Case, Case.id == SearchDoc.ref_id)
        .where(sa.text("search_docs.kind = 'letter'"), SearchDoc.at >= before, SearchDoc.at < now,
               SearchDoc.topic.is_not(None),
               sa.or_(Case.close_reason.is_(None), Case.close_reason.not_in(("merged", "dismissed"))))
        .group_by(SearchDoc.topic, column)).all()
    canonical = {w: g[0] for g in synonym_groups() for w in g}
    merged: dict[tuple[str, object], Cluster] = {}
    for topic, key, cur, total in rows:
        name = canonical.get(topic, topic)
        cluster = merged.setdefault((name, key), Cluster(name, "", 0, 0))
        cluster.count += int(cur or 0)
        cluster.previous += int(total) - int(cur or 0)
        cluster.words.add(topic)
    names = _labels(by, {k for _t, k in merged})
    found = [c for (_t, key), c in merged.items() if c.count >= MIN_LETTERS]
    for (_t, key), c in merged.items():
        c.group = names.get(key, "未注明")
    found.sort(key=lambda c: (not c.rising, -c.count, c.topic))
    return HotTopics(days, by, start, now, found[:SHOWN])


def _labels(by: str, keys: set) -> dict:
    if by == "category":
        return {k: LETTER_CATEGORIES.get(k, k) for k in keys if k}
    if by == "unit":
        ids = [k for k in keys if k]
        return dict(db.session.execute(sa.select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all()) if ids else {}
    return {k: k for k in keys if k}
