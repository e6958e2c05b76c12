"""Monthly publication of the handling statistics: frozen snapshots, versioned corrections.
What was published is read in queries/public_stats.py."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app

from workflows.clock import local_date, local_moment, start_of_day
from workflows.errors import Conflict, Forbidden, Invalid
from workflows.vocabulary import ADMIN, CHANNELS, REVIEWER, SYSTEM

from .. import calendar, clock, stats
from ..documents.monthly import paragraph
from ..extensions import db
from ..models import Case, PublishedStats
from ..queries import public_stats
from ..queries.evaluation import exclusions
from . import notices
from .tx import transaction


def parse_month(month: str) -> date:
    try:
        first = datetime.strptime(month, "%Y-%m").date()
    except (TypeError, ValueError):
        raise Invalid({"month": "月份应为 YYYY-MM。"}) from None
    return first


def period_of(month: str, cutoff: datetime) -> stats.Period:
    first = parse_month(month)
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return stats.Period(start_of_day(first), start_of_day(nxt), cutoff)


def snapshot(month: str, cutoff: datetime, decimals: int, min_cases: int) -> dict:
    """Everything a published month shows, with the rate texts fixed at publication."""
    period = period_of(month, cutoff)
    units = stats.by_unit(period)
    channels = stats.by_column(period, Case.channel)
    ranked = stats.league(units, min_cases)

    def records(table):
        return [stats.with_rates({k: (None if v != v else v) for k, v in row.items()}, decimals)
                for row in table.to_dict("records")]

    data = {
        "period": month, "start": period.start.isoformat(), "end": period.end.isoformat(),
        "cutoff": cutoff.isoformat(), "decimals": decimals, "min_cases": min_cases,
        "overall": stats.with_rates(stats.overall(period), decimals),
        "units": records(units),
        "channels": [r | {"label": CHANNELS.get(r["key"], r["key"])} for r in records(channels)],
        "league": [code for code in ranked["code"]],
        "exclusions": exclusions(period.start, period.end),
    }
    data["paragraph"] = paragraph(data)
    return data


def _require_office(actor) -> None:
    if actor.role not in (ADMIN, REVIEWER, SYSTEM):
        raise Forbidden("只有电子政务办公室可以发布统计数据。")


def publish(actor, month: str, note: str | None = None, correction: bool = False,
            number: str | None = None) -> PublishedStats:
    """Freeze `month`'s figures and register its 通报 (文号 `number`, or the next one of
    the year). Publishing again is refused unless it is a correction, which needs a note
    and becomes the next version; earlier versions stay visible."""
    _require_office(actor)
    parse_month(month)
    now = clock.now()
    if month >= f"{local_date(now):%Y-%m}":
        raise Invalid({"month": "只能发布已经结束的月份。"})
    config = current_app.config
    data = snapshot(month, now, int(config.get("PUBLISH_DECIMALS", 0)), int(config.get("STATS_MIN_CASES", 10)))
    with transaction():
        last = db.session.scalar(sa.select(sa.func.max(PublishedStats.version)).where(PublishedStats.period == month))
        if last and not correction:
            raise Conflict(f"{month} 的统计已发布（第 {last} 版）；如需更正，请发布更正版并说明原因。")
        if correction and not (note or "").strip():
            raise Invalid({"note": "更正版必须说明更正原因。"})
        row = PublishedStats(period=month, version=(last or 0) + 1, note=(note or "").strip() or None,
                             data=data, published_at=now, published_by_id=getattr(actor, "id", None))
        db.session.add(row)
        db.session.flush()
        today = local_date(now)
        notices.register("monthly", (number or "").strip() or notices.propose(config["NOTICE_CODE"], today.year),
                         today, {}, stats_id=row.id)
    return row


def previous_month(today: date) -> str:
    return f"{today.year - (today.month == 1)}-{(today.month - 2) % 12 + 1:02d}"


def publish_due(now: datetime) -> PublishedStats | None:
    """The monthly job: on the first working day of a month, from 08:30, publish the
    previous month once. Safe to run any number of times."""
    today = local_date(now)
    first_working = calendar.add_working_days(date(today.year, today.month, 1), 0)
    if today != first_working or now < local_moment(today, 8, 30):
        return None
    month = previous_month(today)
    if public_stats.versions(month):
        return None
    from ..permissions import SYSTEM_ACTOR
    try:
        return publish(SYSTEM_ACTOR, month)
    except Conflict:
        return None  # another worker published it a moment ago

