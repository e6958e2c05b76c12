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
                           transitions=registry.TRANSITIONS, history=listing.histories(),
                           site_changes=listing.website_changes())


@bp.post("/websites")
@roles_required(ADMIN, REVIEWER)
def add_website():
    f = request.form
    return _done(lambda: registry.add_website(current_user, f.get("name", ""), f.get("address", ""),
                                              f.get("site_code", ""), f.get("unit_code", "")),
                 lambda site: f"网站“{site.name}”（{site.address}）已登记。")


@bp.post("/websites/<int:website_id>/status")
@roles_required(ADMIN, REVIEWER)
def website_status(website_id: int):
    f = request.form
    return _done(lambda: registry.set_website_status(current_user, website_id, f.get("status", ""),
                                                     f.get("reason", "")),
                 lambda site: f"网站“{site.name}”（{site.address}）{'已关停' if site.status == 'closed' else '已恢复运行'}。")


@bp.post("/accounts")
@roles_required(ADMIN, REVIEWER)
def add_account():
    f = request.form
    updated = date.fromisoformat(f["last_update"]) if f.get("last_update") else None
    return _done(lambda: registry.add_account(current_user, f.get("platform", ""), f.get("name", ""),
                                              f.get("unit_code", ""), updated),
                 lambda account: f"账号{registry.account_label(account)}已登记。")


@bp.post("/accounts/<int:account_id>/status")
@roles_required(ADMIN, REVIEWER)
def account_status(account_id: int):
    f = request.form
    return _done(lambda: registry.change_account_status(current_user, account_id, f.get("status", ""),
                                                        f.get("filed") == "1", f.get("note", "")),
                 lambda change: f"账号{registry.account_label(change.account)}已改为“{ACCOUNT_STATUSES[change.to_status]}”。")
