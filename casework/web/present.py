"""How things look: Jinja filters and globals for dates, deadlines and labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import Flask
from flask_login import current_user

from workflows import case_flow
from workflows.clock import local_date, to_local
from workflows.vocabulary import (
    CASE_TYPES,
    CHANNELS,
    CLOCK_RUNNING,
    DISMISS_REASONS,
    LETTER_CATEGORIES,
    RETURN_REASONS,
    ROLES,
    STATES,
    UNIT_KINDS,
)

from .. import calendar, clock
from ..models import Case

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class DueView:
    text: str
    level: str  # overdue | today | soon | ok | paused | done | none
    due: date | None
    provisional: bool


def due_view(case: Case, now: datetime | None = None) -> DueView:
    now = now or clock.now()
    if case.due_at is None:
        return DueView("—", "none", None, False)
    due, today = case.due_date, local_date(now)
    prov = case.due_provisional
    if case.state == "suspended":
        return DueView("中止计时", "paused", due, prov)
    if case.state not in CLOCK_RUNNING:
        return DueView(f"期限 {due:%m-%d}", "done", due, prov)
    if now >= case.due_at:
        late = calendar.working_days_between(due, today)
        return DueView(f"已超期 {late} 个工作日" if late else "已超期", "overdue", due, prov)
    if due == today:
        return DueView("今天到期", "today", due, prov)
    if due == today + timedelta(days=1):
        return DueView("明天到期", "soon", due, prov)
    left = calendar.working_days_between(today, due)
    return DueView(f"剩 {left} 个工作日", "soon" if left <= 1 else "ok", due, prov)


def beijing(value: datetime | str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return to_local(value).strftime(fmt) if value else "—"


def day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}（周{WEEKDAYS[value.weekday()]}）" if value else "—"


def filesize(size: int | None) -> str:
    """A file's size as people read it: 800 B, 12 KB, 1.2 MB (KB whole, MB to one decimal)."""
    if size is None:
        return "—"
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def form_defaults(spec, case: Case, draft) -> dict:
    """What an action form shows before the user types: the saved draft of a reply, the
    proposed new date of an extension."""
    if spec.reply and draft is not None:
        return {name: getattr(draft, name) for name in spec.reply}
    return spec.prefill(case, calendar.current()) if spec.prefill else {}


def actions_for(case: Case) -> list:
    return case_flow.allowed_events(current_user._get_current_object(), case, clock.now())


def register(app: Flask) -> None:
    app.jinja_env.filters.update(beijing=beijing, day=day, filesize=filesize)
    app.jinja_env.globals.update(
        due_view=due_view, form_defaults=form_defaults, actions_for=actions_for, STATES=STATES, CASE_TYPES=CASE_TYPES, CHANNELS=CHANNELS,
        CATEGORIES=LETTER_CATEGORIES, RETURN_REASONS=RETURN_REASONS,
        DISMISS_REASONS=DISMISS_REASONS, ROLES=ROLES, UNIT_KINDS=UNIT_KINDS)
