"""One search for the office, the dispatcher and (within their own unit) the units: a case
by its number, the citizen's phone, the text of its letter and replies (the knowledge
base's search interface, casework/search), narrowed by unit, type, state and receipt dates.

Without text the matches come newest first, keyset-paginated; with text the best
`TEXT_LIMIT` by relevance (a clerk narrows a broad search rather than paging through it).
Text reaches letters, the only cases with searchable documents; findings and policy
tasks are found by number, unit, state and dates."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime

import sqlalchemy as sa

from workflows.clock import end_of_day, start_of_day
from workflows.vocabulary import CASE_TYPES, STATES, UNIT_ROLES

from ..extensions import db
from ..models import Case, Unit
from ..models.case import CaseLabels
from ..search import engine
from ..search.highlight import highlight
from .common import CASE_NUMBER, decode_cursor, encode_cursor, text_arg
from .knowledge import analyzed

PAGE_SIZE = 50
TEXT_LIMIT = 50
PHONE = re.compile(r"^\+?[\d\- ]{7,20}$")


@dataclass(frozen=True)
class SearchFilter:
    q: str = ""
    unit: str = ""
    type: str = ""
    state: str = ""
    date_from: str = ""
    date_to: str = ""

    @classmethod
    def from_args(cls, args) -> SearchFilter:
        return cls(text_arg(args, "q", 100), text_arg(args, "unit", 32), text_arg(args, "type", 16),
                   text_arg(args, "state", 16), text_arg(args, "date_from", 10), text_arg(args, "date_to", 10))

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def args(self, **more) -> dict[str, str]:
        """The filter as query arguments (for links), without empty ones, plus `more`."""
        return {k: v for k, v in vars(self).items() if v} | more


@dataclass(frozen=True)
class Row(CaseLabels):
    id: int
    number: str
    type: str
    subject: str
    state: str
    unit_name: str | None
    citizen_name: str | None
    citizen_phone: str | None
    received_at: datetime
    due_at: datetime | None
    due_provisional: bool
    closed_at: datetime | None
    title: object = None  # the subject with the query's words marked (text searches)


@dataclass
class Result:
    rows: list[Row]
    mode: str                    # browse | number | phone | text
    next_cursor: str | None = None
    problem: str | None = None   # input that cannot be searched, in words


COLUMNS = (Case.id, Case.number, Case.type, Case.subject, Case.state, Unit.name, Case.citizen_name,
           Case.citizen_phone, Case.received_at, Case.due_at, Case.due_provisional, Case.closed_at)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _conditions(actor, f: SearchFilter) -> tuple[list, str | None]:
    """Column conditions on Case (the unit's own restriction included), or a problem."""
    where: list = []
    if actor.role in UNIT_ROLES:
        where.append(Case.unit_id == actor.unit_id)
    elif f.unit:
        where.append(Case.unit_id == sa.select(Unit.id).where(Unit.code == f.unit).scalar_subquery())
    if f.type:
        if f.type not in CASE_TYPES:
            return where, "案件类型无效。"
        where.append(Case.type == f.type)
    if f.state:
        if f.state not in STATES:
            return where, "办理状态无效。"
        where.append(Case.state == f.state)
    start, end = _day(f.date_from) if f.date_from else None, _day(f.date_to) if f.date_to else None
    if (f.date_from and start is None) or (f.date_to and end is None):
        return where, "日期应为“年-月-日”，如 2026-03-01。"
    if start and end and start > end:
        return where, "起始日期晚于截止日期。"
    if start:
        where.append(Case.received_at >= start_of_day(start))
    if end:
        where.append(Case.received_at <= end_of_day(end))
    return where, None


def _select(where: list) -> sa.Select:
    return sa.select(*COLUMNS).outerjoin(Unit, Unit.id == Case.unit_id).where(*where)


def search(actor, f: SearchFilter, cursor: str | None = None, limit: int = PAGE_SIZE) -> Result:
    where, problem = _conditions(actor, f)
    if problem:
        return Result([], "browse", problem=problem)
    q = f.q.strip()
    if CASE_NUMBER.match(q.upper()):
        rows = db.session.execute(_select(where + [Case.number == q.upper()])).all()
        return Result([Row(*r) for r in rows], "number")
    if PHONE.match(q) and len(digits := re.sub(r"\D", "", q)) >= 7:
        return _browse(where + [Case.citizen_phone == digits], "phone", cursor, limit)
    if q:
        return _text(actor, f, q)
    return _browse(where, "browse", cursor, limit)


def _browse(where: list, mode: str, cursor: str | None, limit: int) -> Result:
    stmt = _select(where)
    if (after := decode_cursor(cursor)) is not None:
        stmt = stmt.where(sa.tuple_(Case.received_at, Case.id) < after)
    rows = [Row(*r) for r in db.session.execute(
        stmt.order_by(Case.received_at.desc(), Case.id.desc()).limit(limit + 1))]
    more = len(rows) > limit
    rows = rows[:limit]
    return Result(rows, mode, encode_cursor(rows[-1].received_at, rows[-1].id) if more else None)


def _scope(actor, f: SearchFilter) -> engine.Scope:
    """The same conditions as _conditions, in the engine's SQL over `cases c` (validated
    there first: only known values reach here, always as parameters)."""
    where, params = [], []
    if actor.role in UNIT_ROLES:
        where.append("c.unit_id = :own_unit")
        params.append(("own_unit", actor.unit_id))
    elif f.unit:
        where.append("c.unit_id = (SELECT id FROM units WHERE code = :unit_code)")
        params.append(("unit_code", f.unit))
    for name in ("type", "state"):
        if value := getattr(f, name):
            where.append(f"c.{name} = :{name}_value")
            params.append((f"{name}_value", value))
    if f.date_from:
        where.append("c.received_at >= :date_from")
        params.append(("date_from", start_of_day(date.fromisoformat(f.date_from))))
    if f.date_to:
        where.append("c.received_at <= :date_to")
        params.append(("date_to", end_of_day(date.fromisoformat(f.date_to))))
    return engine.Scope(letters=True, join_cases=True, where=tuple(where), params=tuple(params))


def _text(actor, f: SearchFilter, q: str) -> Result:
    a = analyzed(q)
    if not a:
        return Result([], "text", problem="请输入有具体含义的词语（如“停水”“供暖”），或输入编号、电话。")
    hits = engine.search(a, _scope(actor, f), limit=TEXT_LIMIT)
    ids = [h.ref_id for h in hits]
    found = {r.id: r for r in db.session.execute(_select([Case.id.in_(ids)])).all()} if ids else {}
    terms = a.surface + a.terms
    rows = [Row(*found[i], title=highlight(found[i].subject, terms)) for i in ids if i in found]
    return Result(rows, "text")


def units() -> list[Unit]:
    return db.session.scalars(sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.kind, Unit.code)).all()
