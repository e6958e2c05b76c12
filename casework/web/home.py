from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user

from .access import home_url

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(home_url(current_user))
