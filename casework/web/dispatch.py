from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflows.errors import DomainError, Invalid
from workflows.vocabulary import ADMIN, BASIS_KINDS, DISPATCHER

from .. import clock
from ..queries import catalogue, similar_letters
from ..queries.queues import dispatch_queue, last_rejections
from ..queries.units import picker_units
from ..services import bulk_actions, intake
from .access import roles_required
from .nav import nav_counts
from .render import page, wants_fragment
from .selection import selected_cases

bp = Blueprint("dispatch", __name__)


@bp.get("/dispatch")
@roles_required(DISPATCHER, ADMIN)
def index():
    return _queue(request.args.get("tab"), request.args.get("after"))


def _queue(tab: str | None, cursor: str | None = None, status: int = 200, **bulk):
    tab = "rejected" if tab == "rejected" else "new"
    # The queue's size is the navigation's count of it (cached; dropped by any case change).
    result = dispatch_queue(rejected=tab == "rejected", cursor=cursor, total=nav_counts()["rejected" if tab == "rejected" else "dispatch"])
    return page("dispatch/index.html", "dispatch/_list.html", status=status, tab=tab, result=result,
                rejections=last_rejections([c.id for c in result.items]),
                units=picker_units(), now=clock.now(),
                hints=similar_letters.hints(result.items, clock.now()),
                matters=catalogue.suggestions(result.items), basis_kinds=BASIS_KINDS,
                oob_nav=wants_fragment() and "results" in bulk, **bulk)


@bp.post("/dispatch/bulk")
@roles_required(DISPATCHER, ADMIN)
def bulk_assign():
    """批量派单: the ticked letters to one unit, each on its own (see services/bulk_actions)."""
    targets = selected_cases()
    raw = {"unit_code": request.form.get("unit_code", ""), "comment": request.form.get("comment", "")}
    try:
        results = bulk_actions.perform_each(current_user, "assign", targets, raw)
    except DomainError as exc:
        # Nothing was done: the selection and the unit stay as they were.
        return _queue(request.form.get("tab"), status=400, bulk_error=bulk_actions.reason_of(exc),
                      selected={n for n, _ in targets}, bulk_unit=raw["unit_code"])
    return _queue(request.form.get("tab"), results=results, bulk_label="批量派单")


@bp.route("/dispatch/new", methods=["GET", "POST"])
@roles_required(DISPATCHER, ADMIN)
def register():
    if request.method == "POST":
        try:
            case = intake.register_letter(current_user, request.form.to_dict())
        except Invalid as exc:
            return render_template("dispatch/new.html", fields=intake.LETTER_FIELDS,
                                   values=request.form, error=exc.message, errors=exc.fields,
                                   units=picker_units()), 400
        flash(f"来信已登记，编号 {case.number}。")
        return redirect(url_for("cases.show", number=case.number), code=303)
    return render_template("dispatch/new.html", fields=intake.LETTER_FIELDS,
                           values={"channel": "phone"}, errors={}, units=picker_units())
