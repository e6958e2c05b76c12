"""The office publishes (or withdraws) an accepted answer on the public portal."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user

from workflows.errors import DomainError
from workflows.vocabulary import ADMIN, REVIEWER

from ..services import public_letters
from .access import roles_required
from .errors import flash_error

bp = Blueprint("answers", __name__)


@bp.post("/cases/<number>/publish")
@roles_required(ADMIN, REVIEWER)
def publish(number: str):
    form = request.form
    try:
        public_letters.publish_answer(current_user, number, form.get("subject", ""), form.get("body", ""),
                                      form.get("reply", ""))
        flash("答复已公开（已再次自动遮盖个人信息）。")
    except DomainError as exc:
        flash_error(exc)
    return redirect(url_for("cases.show", number=number), code=303)


@bp.post("/cases/<number>/unpublish")
@roles_required(ADMIN, REVIEWER)
def unpublish(number: str):
    try:
        public_letters.unpublish(current_user, number)
        flash("已撤回公开。")
    except DomainError as exc:
        flash(exc.message)
    return redirect(url_for("cases.show", number=number), code=303)
