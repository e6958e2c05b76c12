"""`/`: the public home for visitors (staff go on to their own page), and the 长辈版
switch every page honours."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from ..queries import letter_progress, public_letters, public_stats
from .access import home_url, safe_next
from .letters import WRITE_CATEGORIES
from .render import page

bp = Blueprint("home", __name__)

DISPLAY_COOKIE = "display"
LARGE = "large"


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    limits = letter_progress.reply_limits(WRITE_CATEGORIES)
    return page("public/home.html", recent=public_letters.recent(5), snap=public_stats.current(None),
                categories=WRITE_CATEGORIES, limits=limits)


@bp.get("/display/<mode>")
def display(mode: str):
    """Large text (长辈版) or standard, kept in a cookie for a year: a plain link, so it
    works without JavaScript, then back to the page it was clicked on."""
    response = redirect(safe_next(request.args.get("next")) or url_for("home.index"), code=303)
    if mode == LARGE:
        response.set_cookie(DISPLAY_COOKIE, LARGE, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(DISPLAY_COOKIE)
    return response


def large_text() -> bool:
    return request.cookies.get(DISPLAY_COOKIE) == LARGE
