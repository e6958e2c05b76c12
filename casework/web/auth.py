from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..services import auth, user_admin
from .access import home_url, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    if request.method == "GET":
        return render_template("auth/login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "")
    try:
        user = auth.authenticate(username, request.form.get("password", ""))
    except auth.LoginFailed as exc:
        return render_template("auth/login.html", error=exc.message, username=username,
                               next=request.form.get("next", "")), 401
    session.clear()  # no session fixation: a new session for the signed-in user
    login_user(user)
    session.permanent = True
    if user.must_change_password:
        return redirect(url_for("account.password"))
    return redirect(safe_next(request.form.get("next")) or home_url(user))


@bp.post("/logout")
@login_required
def logout():
    # On the server too: a copy of this cookie must not open anything afterwards.
    user_admin.signed_out(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("您已退出登录。")
    return redirect(url_for("auth.login"))
