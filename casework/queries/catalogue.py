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


def current_version() -> int:
    return db.session.scalar(sa.select(sa.func.max(CatalogueVersion.number))) or 0


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


def _keyword_found(keyword: str, text: str, terms: set[str]) -> bool:
    wanted = set(index_terms(keyword))
    return keyword.lower() in text or bool(wanted) and wanted <= terms


def matches(case: Case, entries: list[CatalogueEntry] | None = None,
            version: int | None = None) -> list[Match]:
    """The matters this letter fits, best first: more keywords, then an area match."""
    text = f"{case.subject}\n{case.body}".lower()
    terms = set(index_terms(text))
    version = current_version() if version is None else version
    found = []
    for e in current_entries() if entries is None else entries:
        area = None
        if e.area:
            area = next((a for a in _area_names(e.area) if a.lower() in text), None)
            if area is None:
                continue  # a matter of another 县区/街道
        keywords = tuple(k for k in e.keyword_list if _keyword_found(k, text, terms))
        if keywords:
            found.append(Match(e, keywords, e.area if area else None, version))
    found.sort(key=lambda m: (-len(m.keywords), m.area is None, m.entry.id))
    return found


def suggestions(cases: list[Case]) -> dict[int, list[Match]]:
    entries, version = current_entries(), current_version()
    if not entries:
        return {}
    return {c.id: matches(c, entries, version)[:SHOWN] for c in cases}
