"""The signed-in user's own account: changing the password (required after an
administrator reset it)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user

from workflows.errors import Invalid

from ..queries.notifications import email_preferences
from ..services import notifications, user_admin
from .access import home_url

bp = Blueprint("account", __name__, url_prefix="/account")
# What a user who must change the password may still reach.
_OPEN = {"account.password", "auth.logout", "auth.login", "static", "health.healthz"}


@bp.before_app_request
def password_first():
    if request.endpoint in _OPEN or request.blueprint in (None, "api"):
        return None  # (the API authenticates by token, never by this session)
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("account.password"))
    return None


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    forced = current_user.must_change_password
    if request.method == "GET":
        return render_template("account/password.html", forced=forced, errors={})
    form = request.form
    user = current_user._get_current_object()
    try:
        user_admin.change_own_password(user, form.get("current", ""), form.get("new", ""),
                                       form.get("confirm", ""))
    except Invalid as exc:
        return render_template("account/password.html", forced=forced, errors=exc.fields,
                               error=exc.message), 400
    login_user(user)  # this browser continues with the new session version
    flash("密码已修改，其他设备上的登录已失效。")
    return redirect(home_url(user), code=303)


@bp.route("/notices", methods=["GET", "POST"])
@login_required
def notices():
    """Which kinds of notice also come by e-mail (every kind always shows in the app)."""
    user = current_user._get_current_object()
    if request.method == "POST":
        offered = [kind for kind, _, _ in email_preferences(user)]
        try:
            notifications.set_email_kinds(user, set(request.form.getlist("email")), offered)
        except Invalid as exc:
            return render_template("account/notices.html", kinds=email_preferences(user),
                                   error=exc.message), 400
        flash("通知设置已保存。")
        return redirect(url_for("account.notices"), code=303)
    return render_template("account/notices.html", kinds=email_preferences(user))
