from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflows.errors import Invalid
from workflows.vocabulary import ADMIN, BASIS_KINDS, DISPATCHER

from .. import clock
from ..queries import catalogue, similar_letters
from ..queries.queues import dispatch_queue, last_rejections
from ..queries.units import picker_units
from ..services import intake
from .access import roles_required
from .render import page

bp = Blueprint("dispatch", __name__)


@bp.get("/dispatch")
@roles_required(DISPATCHER, ADMIN)
def index():
    tab = "rejected" if request.args.get("tab") == "rejected" else "new"
    result = dispatch_queue(rejected=tab == "rejected", cursor=request.args.get("after"))
    return page("dispatch/index.html", "dispatch/_list.html", tab=tab, result=result,
                rejections=last_rejections([c.id for c in result.items]),
                units=picker_units(), now=clock.now(),
                hints=similar_letters.hints(result.items, clock.now()),
                matters=catalogue.suggestions(result.items), basis_kinds=BASIS_KINDS)


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
