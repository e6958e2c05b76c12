"""用户管理 for the office's administrator: the browser side of services/user_admin."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from workflows.errors import DomainError
from workflows.vocabulary import ADMIN, ROLES

from .. import clock
from ..http_errors import status_of
from ..queries.units import picker_units
from ..services import user_admin
from .access import roles_required
from .errors import act_then_redirect

bp = Blueprint("users_admin", __name__, url_prefix="/admin/users")

ACTIONS = {
    "disable": (lambda actor, name, form: user_admin.set_active(actor, name, False), "账号已停用，其会话已全部结束。"),
    "enable": (lambda actor, name, form: user_admin.set_active(actor, name, True), "账号已启用。"),
    "unlock": (lambda actor, name, form: user_admin.unlock(actor, name), "已解除锁定。"),
    "end-sessions": (lambda actor, name, form: user_admin.end_sessions(actor, name), "该用户的全部会话已结束。"),
    "role": (lambda actor, name, form: user_admin.change_role(actor, name, form.get("role", ""),
                                                              form.get("unit_code")),
             "角色和单位已调整，该用户需重新登录。"),
}


def _show(username: str, status: int = 200, **extra):
    user = user_admin.get(username)
    return render_template("admin/users/show.html", user=user, events=user_admin.events(user),
                           labels=user_admin.ACTIONS, roles=ROLES, units=picker_units(), now=clock.now(),
                           **extra), status


@bp.get("")
@roles_required(ADMIN)
def index():
    return render_template("admin/users/index.html", users=user_admin.users(), now=clock.now())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new():
    values = request.form if request.method == "POST" else {}
    if request.method == "POST":
        try:
            user = user_admin.create(current_user, values.get("username", "").strip(), values.get("role", ""),
                                     values.get("password", ""), values.get("display_name", "").strip() or None,
                                     values.get("unit_code") or None)
        except DomainError as exc:
            return render_template("admin/users/new.html", roles=ROLES, units=picker_units(), values=values,
                                   errors=getattr(exc, "fields", {}) or {}, error=exc.message), status_of(exc)
        return redirect(url_for("users_admin.show", username=user.username), code=303)
    return render_template("admin/users/new.html", roles=ROLES, units=picker_units(), values=values, errors={})


@bp.get("/<username>")
@roles_required(ADMIN)
def show(username: str):
    return _show(username)


@bp.post("/<username>/reset-password")
@roles_required(ADMIN)
def reset_password(username: str):
    try:
        _user, temporary = user_admin.reset_password(current_user, username)
    except DomainError as exc:
        return _show(username, status_of(exc), error=exc.message)
    # Shown once, on this page only (never in a flash message kept in the cookie).
    return _show(username, temporary=temporary)


@bp.post("/<username>/<action>")
@roles_required(ADMIN)
def act(username: str, action: str):
    if action not in ACTIONS:
        abort(404)
    run, done = ACTIONS[action]
    return act_then_redirect(lambda: run(current_user, username, request.form), done,
                             url_for("users_admin.show", username=username))
