"""The office's synonym list: citizens' words and the official ones, searched as one
(read by queries/knowledge.py, which keeps it for a minute per process)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from workflows.errors import Invalid, NotFound

from .. import clock
from ..events import SynonymsChanged
from ..extensions import db
from ..models import SynonymGroup
from ..pipeline import emit
from .tx import transaction

STARTER = Path(__file__).resolve().parent.parent / "data" / "knowledge_synonyms.txt"


def starter_groups() -> list[list[str]]:
    lines = STARTER.read_text(encoding="utf-8").splitlines()
    return [line.split() for line in lines if line.strip() and not line.startswith("#")]


def ensure_defaults() -> int:
    """The starter list, once, into an empty table."""
    if db.session.scalar(sa.select(sa.func.count(SynonymGroup.id))):
        return 0
    groups = starter_groups()
    with transaction():
        db.session.add_all(SynonymGroup(terms=" ".join(g), updated_at=clock.now()) for g in groups)
    return len(groups)


def all_groups() -> list[SynonymGroup]:
    return db.session.scalars(sa.select(SynonymGroup).order_by(SynonymGroup.id)).all()


def _clean(terms: str) -> str:
    words = list(dict.fromkeys(w for w in (terms or "").replace("，", " ").replace(",", " ").replace("、", " ").split()))
    if len(words) < 2:
        raise Invalid({"terms": "一组同义词至少要有两个词，用空格分隔。"})
    if any(len(w) > 30 for w in words):
        raise Invalid({"terms": "每个词不能超过 30 个字。"})
    return " ".join(words)[:500]


def save(terms: str, group_id: int | None = None) -> SynonymGroup:
    cleaned = _clean(terms)
    with transaction():
        if group_id is None:
            group = SynonymGroup(terms=cleaned, updated_at=clock.now())
            db.session.add(group)
        else:
            group = db.session.get(SynonymGroup, group_id)
            if group is None:
                raise NotFound("该组同义词不存在。")
            group.terms, group.updated_at = cleaned, clock.now()
    return group


def remove(group_id: int) -> None:
    with transaction():
        if not db.session.execute(sa.delete(SynonymGroup).where(SynonymGroup.id == group_id)).rowcount:
            raise NotFound("该组同义词不存在。")
        emit(SynonymsChanged())  # a set-based delete: the ORM observers do not see it
