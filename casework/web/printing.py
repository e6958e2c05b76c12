"""Printable sheets of a case in the office's form: the 办理单 (letter, handling record,
replies and reviews, dates) of any case a user may see, and the 督办单 of a case on the
督办 list. Clean A4 pages (static/css/app.css, "Printed sheets"); the browser prints them."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user, login_required

from workflows.clock import local_date
from workflows.errors import NotFound

from .. import calendar, clock
from ..queries import case_page
from ..services import lookup
from .render import page

bp = Blueprint("printing", __name__)


def _sheet(number: str) -> dict:
    case = lookup.case_for(current_user, number)
    return {"case": case, "now": clock.now(), "timeline": case_page.timeline(case),
            "replies": case_page.replies(case)}


@bp.get("/cases/<number>/sheet")
@login_required
def handling_sheet(number: str):
    return page("print/handling.html", **_sheet(number))


@bp.get("/cases/<number>/supervision-sheet")
@login_required
def supervision_sheet(number: str):
    context = _sheet(number)
    case = context["case"]
    if case.escalated_at is None:
        raise NotFound("该案件未列入督办，没有督办单。")
    # Working days late: until the reply if one was sent since, else until today.
    until = local_date(case.replied_at if case.replied_at and case.replied_at > case.escalated_at else context["now"])
    late = calendar.working_days_between(case.due_date, until) if case.due_at else None
    return page("print/supervision.html", late_days=late, **context)
