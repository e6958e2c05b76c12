"""查询: one search across units for the office and the dispatcher; a unit's users search
their own unit's cases with the same page."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from workflows.vocabulary import OFFICE_ROLES, UNIT_ROLES

from .. import clock
from ..queries import case_search
from .access import roles_required
from .render import page

bp = Blueprint("search", __name__)


@bp.get("/search")
@roles_required(*OFFICE_ROLES, *UNIT_ROLES)
def index():
    f = case_search.SearchFilter.from_args(request.args)
    result = case_search.search(current_user, f, cursor=request.args.get("after")) if f.active else None
    fragment = "search/_rows.html" if request.args.get("after") else "search/_results.html"
    status = 400 if result and result.problem else 200
    units = {} if current_user.role in UNIT_ROLES else {u.code: u.name for u in case_search.units()}
    return page("search/index.html", fragment, status=status, f=f, result=result, units=units, now=clock.now())
