"""回访: the 12345 centre's queue of calls to make, and the office's list of calls that
found the problem unresolved or the writer dissatisfied (重办 or 维持办结)."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from workflows.vocabulary import ADMIN, CALL_SATISFACTION, DISPATCHER, REVIEWER

from .. import clock
from ..queries import callbacks
from .access import roles_required
from .render import page

bp = Blueprint("callbacks", __name__)


@bp.get("/callbacks")
@roles_required(DISPATCHER, ADMIN, REVIEWER)
def index():
    tab = request.args.get("tab")
    if tab not in callbacks.TABS:
        tab = "decide" if current_user.role == REVIEWER else "due"
    cases, total = callbacks.queue(tab)
    return page("callbacks/index.html", "callbacks/_list.html", tab=tab, tabs=callbacks.TABS,
                cases=cases, total=total, counts=callbacks.counts(), now=clock.now(),
                satisfaction=CALL_SATISFACTION)
