from __future__ import annotations

from flask import Blueprint, abort, request

from workflows.errors import Invalid
from workflows.vocabulary import OFFICE_ROLES

from .. import clock
from ..queries import hot_topics
from ..queries.nav_counts import office_units
from ..queries.overview import SECTION_LABELS, per_unit, section_cases
from .access import roles_required
from .nav import nav_counts
from .render import page

bp = Blueprint("overview", __name__)

ON_PAGE = 20  # rows of each list on the 督办 page; all of them on the list's own pages
PER_PAGE = 50


@bp.get("/overview")
@roles_required(*OFFICE_ROLES)
def index():
    now = clock.now()
    # The lists' sizes are the navigation's counts (the badge counts the cases listed
    # here), cached for the minute and dropped by any change to a case.
    return page("overview/index.html", now=now, counts=nav_counts(), labels=SECTION_LABELS,
                lists={name: section_cases(name, now, ON_PAGE) for name in SECTION_LABELS},
                units=per_unit(now, office_units(now)), hot=hot_topics.recent(now))


@bp.get("/overview/<name>")
@roles_required(*OFFICE_ROLES)
def section(name: str):
    if name not in SECTION_LABELS:
        abort(404)
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        raise Invalid({"page": "页码应为正整数。"}, "页码应为正整数。")
    number, now = int(raw), clock.now()
    cases = section_cases(name, now, PER_PAGE + 1, (number - 1) * PER_PAGE)
    return page("overview/section.html", now=now, name=name, label=SECTION_LABELS[name],
                cases=cases[:PER_PAGE], more=len(cases) > PER_PAGE, number=number,
                first=(number - 1) * PER_PAGE + 1, total=nav_counts()[f"supervision_{name}"])
