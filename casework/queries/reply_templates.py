"""答复模板 as people use them: the ones a unit may use (its own, then the office's), each
filled in for the case being answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from workflows.vocabulary import UNIT_ROLES

from ..extensions import db
from ..models import Case, ReplyTemplate

# {name}: what it becomes in a draft.
PLACEHOLDERS = {"来信人称呼": "来信人的姓名或称呼（未留姓名时为“网友”）", "编号": "案件编号，如 XJ-2026-000123",
                "日期": "今天的日期，如 2026年3月2日"}


def salutation(case: Case) -> str:
    return (case.citizen_name or "").strip() or "网友"


def fill(body: str, case: Case, today: date) -> str:
    values = {"来信人称呼": salutation(case), "编号": case.number, "日期": f"{today.year}年{today.month}月{today.day}日"}
    for name, value in values.items():
        body = body.replace("{" + name + "}", value)
    return body


@dataclass(frozen=True)
class Offered:
    id: int
    title: str
    scope: str   # 本单位 | 全市通用
    text: str    # filled in for the case


def usable(unit_id: int | None) -> list[ReplyTemplate]:
    """A unit's own templates first, then the office's."""
    return db.session.scalars(sa.select(ReplyTemplate).where(
        sa.or_(ReplyTemplate.unit_id.is_(None), ReplyTemplate.unit_id == unit_id))
        .order_by(ReplyTemplate.unit_id.is_(None), ReplyTemplate.title, ReplyTemplate.id)).all()


def for_case(case: Case, today: date) -> list[Offered]:
    return [Offered(t.id, t.title, "全市通用" if t.unit_id is None else "本单位", fill(t.body, case, today))
            for t in usable(case.unit_id)]


def managed_by(actor) -> list[ReplyTemplate]:
    """What the management page lists: a unit's users see their unit's and the office's; the
    office sees the office's and every unit's."""
    stmt = sa.select(ReplyTemplate).order_by(ReplyTemplate.unit_id.is_not(None), ReplyTemplate.unit_id,
                                            ReplyTemplate.title, ReplyTemplate.id)
    if actor.role in UNIT_ROLES:
        stmt = stmt.where(sa.or_(ReplyTemplate.unit_id.is_(None), ReplyTemplate.unit_id == actor.unit_id))
    return db.session.scalars(stmt).all()
