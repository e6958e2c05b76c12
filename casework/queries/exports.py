"""The rows an inbox tab or a 督办 list exports, streamed from the database in batches
(server-side cursor on PostgreSQL): an export of 100,000 cases never holds them all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import sqlalchemy as sa

from workflows.clock import due_date_of, to_local
from workflows.vocabulary import CASE_TYPES, LETTER_CATEGORIES, STATES

from ..extensions import db
from ..models import Case, Unit
from . import inbox
from .common import TODO, running_due_soon, running_overdue

BATCH = 1000
HEADERS = ["编号", "类型", "类别", "标题", "承办单位", "状态", "收到时间", "办理期限", "期限情况",
           "答复时间", "办结时间", "退回次数"]
SUPERVISION_HEADERS = [*HEADERS, "列入督办时间"]
SUPERVISION_LISTS = {"supervised": "列入督办", "overdue": "已超期", "due_soon": "即将超期"}
_COLUMNS = (Case.number, Case.type, Case.category, Case.subject, Unit.name, Case.state, Case.received_at,
            Case.due_at, Case.overdue, Case.replied_at, Case.closed_at, Case.return_count, Case.escalated_at)


def _local(value: datetime | None) -> str | None:
    return to_local(value).strftime("%Y-%m-%d %H:%M") if value else None


def _row(r, now: datetime, supervision: bool) -> list:
    due = due_date_of(r.due_at) if r.due_at else None
    if r.due_at is None:
        status = None
    elif r.state in ("assigned", "returned", "approving") and r.due_at <= now:
        status = "已超期"
    else:
        status = "曾超期" if r.overdue else "未超期"
    out = [r.number, CASE_TYPES[r.type], LETTER_CATEGORIES.get(r.category) if r.category else None, r.subject,
           r.name, STATES[r.state], _local(r.received_at), due.isoformat() if due else None, status,
           _local(r.replied_at), _local(r.closed_at), r.return_count]
    return out + [_local(r.escalated_at)] if supervision else out


def _stream(stmt: sa.Select, now: datetime, supervision: bool = False) -> Iterator[list]:
    result = db.session.execute(stmt.execution_options(yield_per=BATCH))
    for r in result:
        yield _row(r, now, supervision)


def _select(where: list) -> sa.Select:
    return sa.select(*_COLUMNS).outerjoin(Unit, Unit.id == Case.unit_id).where(*where)


def inbox_rows(unit_id: int, f: inbox.InboxFilter, now: datetime) -> Iterator[list]:
    return _stream(_select(inbox.conditions(unit_id, f, now)).order_by(*inbox.ordering(f)), now)


def supervision_rows(kind: str, now: datetime, unit_id: int | None = None) -> Iterator[list]:
    """A 督办 page list in full (the page shows the first 100-200): `kind` one of
    SUPERVISION_LISTS, optionally one unit's."""
    where = {"supervised": [Case.escalated_at.is_not(None), TODO], "overdue": [running_overdue(now)],
             "due_soon": [running_due_soon(now)]}[kind]
    if unit_id is not None:
        where.append(Case.unit_id == unit_id)
    order = (Case.escalated_at, Case.id) if kind == "supervised" else (Case.due_at, Case.id)
    return _stream(_select(where).order_by(*order), now, supervision=True)
