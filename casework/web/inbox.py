from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from workflows.vocabulary import UNIT_ROLES

from .. import clock
from ..queries.inbox import TAB_LABELS, InboxFilter, unit_inbox
from .access import roles_required
from .nav import nav_counts
from .render import page

bp = Blueprint("inbox", __name__)


@bp.get("/inbox")
@roles_required(*UNIT_ROLES)
def index():
    f = InboxFilter.from_args(request.args)
    now = clock.now()
    total = nav_counts()["todo"] if f.is_default else None
    result = unit_inbox(current_user.unit_id, f, now, cursor=request.args.get("after"), total=total)
    fragment = "inbox/_rows.html" if request.args.get("after") else "inbox/_list.html"
    return page("inbox/index.html", fragment, f=f, result=result, tabs=TAB_LABELS, now=now)
