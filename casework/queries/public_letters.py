"""The published letters: the public list with its search and filters, one letter, and
the home page's recent answers. Only the redacted public texts are ever selected."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, load_only

from workflows.errors import NotFound
from workflows.vocabulary import LETTER_CATEGORIES

from ..extensions import db
from ..models import Case, CasePublication, Unit
from ..models.case_public import PUBLISHED
from ..text_search import query_tokens
from .common import CASE_NUMBER, month_bounds, text_arg

PER_PAGE = 20
# No total is counted: every match of a broad search is a row read from the table
# (measured on 1,000,000 letters: counting 10,001 matches 300 ms, while the newest 20 of
# them take 5 ms). The list offers 上一页 / 下一页 up to this page; a narrower search or a
# filter finds older letters.
MAX_PAGE = 100
_COLUMNS = (Case.number, Case.category, Case.unit_id, Case.received_at, Case.replied_at, Case.handling_days)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    unit: str = ""
    category: str = ""
    month: str = ""

    @classmethod
    def from_args(cls, args) -> Filters:
        return cls(text_arg(args, "q", 50), text_arg(args, "unit", 32), text_arg(args, "category", 16),
                   text_arg(args, "month", 7))

    @property
    def active(self) -> bool:
        return bool(self.q or self.unit or self.category or self.month)


@dataclass
class Listing:
    rows: list[Case]
    page: int
    has_next: bool
    problem: str | None = None  # a query that cannot be searched, in words


def _conditions(f: Filters, dialect: str) -> tuple[list, str | None]:
    # Unit and category as published (models/case_public.py): the publications' own indexes.
    where: list = [PUBLISHED]
    if f.unit:
        where.append(CasePublication.unit_id == sa.select(Unit.id).where(Unit.code == f.unit).scalar_subquery())
    if f.category:
        if f.category not in LETTER_CATEGORIES:
            return where, "诉求类别无效。"
        where.append(CasePublication.category == f.category)
    if f.month:
        bounds = month_bounds(f.month)
        if bounds is None:
            return where, "月份应为“年-月”，如 2026-03。"
        where += [Case.received_at >= bounds[0], Case.received_at < bounds[1]]
    if f.q:
        if CASE_NUMBER.match(f.q.upper()):
            where.append(Case.number == f.q.upper())
            return where, None
        tokens = query_tokens(f.q)
        if tokens is None:
            return where, "请至少输入两个汉字（如“停水”）或一个词语再搜索。"
        if dialect == "postgresql":
            where.append(sa.text("search @> CAST(:tokens AS text[])").bindparams(tokens=tokens))
        else:
            # Tokens are Han characters, letters and digits: nothing LIKE would treat specially.
            where += [sa.text(f"(' ' || search || ' ') LIKE :token_{i}").bindparams(**{f"token_{i}": f"% {t} %"})
                      for i, t in enumerate(tokens)]
    return where, None


def listing(f: Filters, page: int = 1) -> Listing:
    where, problem = _conditions(f, db.engine.dialect.name)
    if problem:
        return Listing([], 1, False, problem)
    page = min(max(page, 1), MAX_PAGE)
    rows = db.session.scalars(
        _published_cases().where(*where).order_by(*_order(f)).limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)).all()
    return Listing(rows[:PER_PAGE], page, len(rows) > PER_PAGE and page < MAX_PAGE)


def _order(f: Filters) -> tuple:
    """Newest answers first; within a month of letters, newest letters first: the month
    is a range of receipt dates, and walking the publication order to find it read every
    letter published since (measured on 1,000,000: 880 ms, by receipt date 1 ms)."""
    if f.month:
        return Case.received_at.desc(), Case.id.desc()
    return CasePublication.published_at.desc(), CasePublication.case_id.desc()


def _published_cases() -> sa.Select:
    """Letters with their publication, the columns a list shows."""
    return (sa.select(Case).join(CasePublication, CasePublication.case_id == Case.id)
            .options(load_only(*_COLUMNS), contains_eager(Case.publication).load_only(
                CasePublication.subject, CasePublication.published_at), joinedload(Case.unit).load_only(Unit.name)))


def one(number: str) -> Case:
    case = db.session.scalar(sa.select(Case).join(CasePublication, CasePublication.case_id == Case.id)
                             .options(contains_eager(Case.publication)).where(Case.number == number, PUBLISHED))
    if case is None:
        raise NotFound("该来信不存在或未公开。")
    return case


def recent(limit: int = 5) -> list[Case]:
    return db.session.scalars(_published_cases().where(PUBLISHED).order_by(*_order(Filters())).limit(limit)).all()


def units_with_letters() -> list[Unit]:
    """The units a citizen can filter by: those that answer letters (every active unit;
    a short list, a few dozen)."""
    return db.session.scalars(sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.kind, Unit.id)).all()

