"""The registry admin pages: websites and new-media accounts."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from workflows.vocabulary import ADMIN, REVIEWER

from ..models.inspection import ACCOUNT_STATUSES, PLATFORMS
from ..queries import registry as listing
from ..queries.units import picker_units
from ..services import registry
from .access import roles_required
from .errors import act_then_redirect

bp = Blueprint("registry", __name__, url_prefix="/registry")


def _done(action, message: str):
    return act_then_redirect(action, message, url_for("registry.index"))


@bp.get("")
@roles_required(ADMIN, REVIEWER)
def index():
    return render_template("registry/index.html", websites=listing.websites(), accounts=listing.accounts(),
                           units=picker_units(), platforms=PLATFORMS, statuses=ACCOUNT_STATUSES,
                           transitions=registry.TRANSITIONS, history=listing.histories())


@bp.post("/websites")
@roles_required(ADMIN, REVIEWER)
def add_website():
    f = request.form
    return _done(lambda: registry.add_website(current_user, f.get("name", ""), f.get("address", ""),
                                              f.get("site_code", ""), f.get("unit_code", "")), "网站已登记。")


@bp.post("/websites/<int:website_id>/status")
@roles_required(ADMIN, REVIEWER)
def website_status(website_id: int):
    return _done(lambda: registry.set_website_status(current_user, website_id, request.form.get("status", "")),
                 "网站状态已更新。")


@bp.post("/accounts")
@roles_required(ADMIN, REVIEWER)
def add_account():
    f = request.form
    updated = date.fromisoformat(f["last_update"]) if f.get("last_update") else None
    return _done(lambda: registry.add_account(current_user, f.get("platform", ""), f.get("name", ""),
                                              f.get("unit_code", ""), updated), "账号已登记。")


@bp.post("/accounts/<int:account_id>/status")
@roles_required(ADMIN, REVIEWER)
def account_status(account_id: int):
    f = request.form
    return _done(lambda: registry.change_account_status(current_user, account_id, f.get("status", ""),
                                                        f.get("filed") == "1", f.get("note", "")),
                 "账号状态已更新。")
