"""Blueprints by area, and what every page shares (navigation counts, headers)."""

from __future__ import annotations

from flask import Flask, Response, g
from flask_login import current_user
from sqlalchemy.orm import joinedload

from .. import clock
from ..queries import nav_counts as cached_counts

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def nav_counts() -> dict:
    """Counts for the navigation, once per request; called from base.html (so fragments
    skip it) and by views that can reuse a count."""
    if not current_user.is_authenticated:
        return {}
    if "nav_counts" not in g:
        g.nav_counts = cached_counts.counts(current_user, clock.now())
    return g.nav_counts


def register(app: Flask) -> None:
    from ..extensions import db, login_manager
    from ..models import User
    from . import (
        answers,
        auth,
        cases,
        dispatch,
        errors,
        health,
        home,
        inbox,
        inspections,
        letters,
        notifications,
        overview,
        present,
        public_stats,
        registry,
        review,
        rounds,
    )

    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        # Every page names the user's unit: load it with the user.
        return (db.session.get(User, int(user_id), options=[joinedload(User.unit)])
                if user_id.isdigit() else None)

    for module in (health, auth, home, inbox, cases, review, dispatch, overview, notifications,
                   public_stats, letters, answers, inspections, rounds, registry):
        app.register_blueprint(module.bp)
    errors.register(app)
    present.register(app)
    from ..api import register as register_api

    register_api(app)
    app.jinja_env.globals["nav_counts"] = nav_counts

    @app.after_request
    def headers(response: Response) -> Response:
        # Pages differ for htmx requests: caches must key on the header.
        response.vary.add("HX-Request")
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if current_user and current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response
