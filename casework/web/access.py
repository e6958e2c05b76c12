from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, url_for
from flask_login import current_user, login_required

from workflows.vocabulary import ADMIN, DISPATCHER, REVIEWER, UNIT_ROLES


def roles_required(*roles: str):
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate


def home_url(user) -> str:
    if user.role in UNIT_ROLES:
        return url_for("inbox.index")
    if user.role == REVIEWER:
        return url_for("review.index")
    if user.role == DISPATCHER:
        return url_for("dispatch.index")
    if user.role == ADMIN:
        return url_for("overview.index")
    return url_for("auth.login")


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never redirect a user to another host after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
