"""The 派单目录 as it stands, its history, and what it suggests for a letter.

A letter matches a matter when one of the matter's keywords is among the letter's words
(the jieba segmentation the search index uses, casework/search/text.py) and, for a matter
of one 县区/街道, the letter names that area."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import g, has_app_context

from ..extensions import db
from ..models import Case, CatalogueEntry, CatalogueVersion
from ..models.catalogue import split_keywords
from ..reference import cached
from ..search.text import index_terms

SHOWN = 3
_AREA_SUFFIX = re.compile(r"(自治县|县|区|市|街道办事处|街道|镇|乡)$")


@dataclass(frozen=True)
class Match:
    entry: CatalogueEntry
    keywords: tuple[str, ...]
    area: str | None
    version: int

    @property
    def reason(self) -> str:
        why = f"派单目录第 {self.version} 版事项「{self.entry.name}」，匹配关键词：{'、'.join(self.keywords)}"
        return why + (f"；地区：{self.area}" if self.area else "")


def current_entries() -> list[CatalogueEntry]:
    """Every matter as the latest version has it, by name (cached per request or job)."""
    if has_app_context() and "catalogue" in g:
        return g.catalogue
    rows = db.session.scalars(sa.select(CatalogueEntry).options(sa.orm.joinedload(CatalogueEntry.unit))
                              .where(CatalogueEntry.superseded_in.is_(None))
                              .order_by(CatalogueEntry.category, CatalogueEntry.name, CatalogueEntry.id)).all()
    if has_app_context():
        g.catalogue = rows
    return rows


def forget() -> None:
    """After a change of the catalogue in this context (services call it)."""
    if has_app_context():
        g.pop("catalogue", None)


@dataclass(frozen=True)
class _Matter:
    """What matching needs of a matter, kept per process (no ORM row: threads share it)."""
    id: int
    area: str | None
    area_names: tuple[str, ...]
    keywords: tuple[tuple[str, frozenset[str]], ...]  # each keyword with its jieba words


def _load_matters() -> tuple[int, tuple[_Matter, ...]]:
    version = db.session.scalar(sa.select(sa.func.max(CatalogueVersion.number))) or 0
    e = CatalogueEntry
    rows = db.session.execute(sa.select(e.id, e.area, e.keywords).where(e.superseded_in.is_(None))
                              .order_by(e.category, e.name, e.id)).all()
    return version, tuple(_Matter(r.id, r.area, _area_names(r.area) if r.area else (),
                                  tuple((k, frozenset(index_terms(k))) for k in split_keywords(r.keywords)))
                          for r in rows)


def _matters() -> tuple[int, tuple[_Matter, ...]]:
    """(the catalogue's version, its matters), kept while the reference data stays the same:
    an assignment matches its letter without reading (or segmenting) the catalogue."""
    return cached("catalogue", _load_matters)


def current_version() -> int:
    return _matters()[0]


def entry(entry_id: int) -> CatalogueEntry | None:
    return db.session.get(CatalogueEntry, entry_id)


def matter_history(matter_id: int) -> list[CatalogueEntry]:
    return db.session.scalars(sa.select(CatalogueEntry).where(CatalogueEntry.matter_id == matter_id)
                              .order_by(CatalogueEntry.version.desc())).all()


def versions(limit: int = 100) -> list[CatalogueVersion]:
    return db.session.scalars(sa.select(CatalogueVersion).options(sa.orm.joinedload(CatalogueVersion.by))
                              .order_by(CatalogueVersion.number.desc()).limit(limit)).all()


def _area_names(area: str) -> tuple[str, ...]:
    short = _AREA_SUFFIX.sub("", area)
    return (area, short) if len(short) >= 2 and short != area else (area,)


def _found(case: Case) -> list[tuple[_Matter, tuple[str, ...], str | None]]:
    """(matter, keywords found, area named) for every matter this letter fits, best first:
    more keywords, then an area match."""
    text = f"{case.subject}\n{case.body}".lower()
    terms = set(index_terms(text))
    found = []
    for m in _matters()[1]:
        area = None
        if m.area:
            area = next((a for a in m.area_names if a.lower() in text), None)
            if area is None:
                continue  # a matter of another 县区/街道
        keywords = tuple(k for k, words in m.keywords if k.lower() in text or words and words <= terms)
        if keywords:
            found.append((m, keywords, m.area if area else None))
    found.sort(key=lambda f: (-len(f[1]), f[2] is None, f[0].id))
    return found


def _entries(ids) -> dict[int, CatalogueEntry]:
    return {e.id: e for e in db.session.scalars(sa.select(CatalogueEntry).options(
        sa.orm.joinedload(CatalogueEntry.unit)).where(CatalogueEntry.id.in_(ids),
                                                      CatalogueEntry.superseded_in.is_(None)))} if ids else {}


def matches(case: Case, limit: int | None = None) -> list[Match]:
    """The matters this letter fits, best first (the first `limit`)."""
    found = _found(case)[:limit]
    entries, version = _entries([m.id for m, *_ in found]), current_version()
    return [Match(entries[m.id], keywords, area, version) for m, keywords, area in found if m.id in entries]


def suggestions(cases: list[Case]) -> dict[int, list[Match]]:
    if not _matters()[1]:
        return {}
    found = {c.id: _found(c)[:SHOWN] for c in cases}
    entries, version = _entries({m.id for f in found.values() for m, *_ in f}), current_version()
    return {cid: [Match(entries[m.id], keywords, area, version) for m, keywords, area in f if m.id in entries]
            for cid, f in found.items()}
