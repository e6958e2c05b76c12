"""The office publishes (or withdraws) an accepted answer on the public portal."""

from __future__ import annotations

from flask import Blueprint, request, url_for
from flask_login import current_user

from workflows.vocabulary import ADMIN, REVIEWER

from ..services import public_letters
from .access import roles_required
from .errors import act_then_redirect

bp = Blueprint("answers", __name__)


@bp.post("/cases/<number>/publish")
@roles_required(ADMIN, REVIEWER)
def publish(number: str):
    form = request.form
    return act_then_redirect(
        lambda: public_letters.publish_answer(current_user, number, form.get("subject", ""),
                                              form.get("body", ""), form.get("reply", "")),
        "答复已公开（已再次自动遮盖个人信息）。", url_for("cases.show", number=number))


@bp.post("/cases/<number>/unpublish")
@roles_required(ADMIN, REVIEWER)
def unpublish(number: str):
    return act_then_redirect(lambda: public_letters.unpublish(current_user, number), "已撤回公开。",
                             url_for("cases.show", number=number))
