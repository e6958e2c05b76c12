from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from workflows.errors import DomainError
from workflows.vocabulary import UNIT_ROLES

from .. import clock
from ..queries.inbox import TAB_LABELS, InboxFilter, unit_inbox
from ..services import bulk_actions
from .access import roles_required
from .nav import nav_counts
from .render import page, wants_fragment
from .selection import selected_cases

bp = Blueprint("inbox", __name__)


@bp.get("/inbox")
@roles_required(*UNIT_ROLES)
def index():
    return _inbox(InboxFilter.from_args(request.args), request.args.get("after"))


def _inbox(f: InboxFilter, cursor: str | None = None, status: int = 200, **bulk):
    now = clock.now()
    total = nav_counts()["todo"] if f.is_default else None
    result = unit_inbox(current_user.unit_id, f, now, cursor=cursor, total=total)
    fragment = "inbox/_rows.html" if cursor else "inbox/_list.html"
    return page("inbox/index.html", fragment, status=status, f=f, result=result, tabs=TAB_LABELS,
                now=now, oob_nav=wants_fragment() and "results" in bulk, **bulk)


@bp.post("/inbox/acknowledge")
@roles_required(*UNIT_ROLES)
def bulk_acknowledge():
    """批量签收: each ticked case signed for on its own (see services/bulk_actions)."""
    f = InboxFilter.from_args(request.form)
    targets = selected_cases()
    try:
        results = bulk_actions.perform_each(current_user, "acknowledge", targets)
    except DomainError as exc:
        return _inbox(f, status=400, bulk_error=bulk_actions.reason_of(exc),
                      selected={n for n, _ in targets})
    return _inbox(f, results=results, bulk_label="批量签收")
