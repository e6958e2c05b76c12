"""Blueprints by area, and what every page shares (navigation counts, headers)."""

from __future__ import annotations

from flask import Flask, Response, session
from sqlalchemy.orm import joinedload

from workflows import citizen

from ..extensions import db, login_manager
from ..models import User
from ..services import kept_users
from . import (
    account,
    auth,
    callbacks,
    cases,
    catalogue,
    dispatch,
    errors,
    exports,
    health,
    home,
    inbox,
    input_guard,
    inspections,
    knowledge,
    knowledge_admin,
    knowledge_cases,
    letters,
    notifications,
    overview,
    present,
    printing,
    public_stats,
    registry,
    reply_templates,
    review,
    rounds,
    search,
    users_admin,
)
from .nav import nav_counts
from .site import PUBLIC_NAV, portal

KEPT_SESSION_USERS = "casework.session_users"
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def register(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        # "<id>:<session version>" (User.get_id): a cookie from before a logout, password
        # change, disabling or "end all sessions" names an old version and loads nobody.
        # Every page names the user's unit: load it with the user.
        ident, _, version = user_id.partition(":")
        if not (ident.isdigit() and version.isdigit()):
            return None
        # Kept per process while the accounts and the units are unchanged (one statement
        # less on every page): a logout or a deactivation raises the accounts counter.
        kept_under = kept_users.version()
        hit = kept_users.recall(KEPT_SESSION_USERS, int(ident), kept_under)
        user = hit[0] if hit else db.session.get(User, int(ident), options=[joinedload(User.unit)])
        if user is None or not user.active or user.session_version != int(version):
            return None
        if not hit:
            kept_users.keep(KEPT_SESSION_USERS, user.id, kept_under, user)
        return user

    for module in (health, auth, home, inbox, cases, review, dispatch, overview, notifications,
                   public_stats, letters, inspections, rounds, registry, account, users_admin,
                   knowledge, knowledge_admin, knowledge_cases, callbacks, catalogue, search, printing,
                   exports, reply_templates):
        app.register_blueprint(module.bp)
    errors.register(app)
    input_guard.register(app)
    present.register(app)
    app.jinja_env.globals.update(nav_counts=nav_counts, large_text=home.large_text, PUBLIC_NAV=PUBLIC_NAV,
                                 limit_text=citizen.limit_text, handling_text=citizen.handling_text,
                                 CATEGORY_HINTS=citizen.CATEGORY_HINTS)

    @app.context_processor
    def site() -> dict:
        return {"portal": portal()}

    @app.after_request
    def headers(response: Response) -> Response:
        # Pages differ for htmx requests: caches must key on the header.
        response.vary.add("HX-Request")
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # A signed-in session (read from the cookie, not the database, which may be away).
        if session.get("_user_id"):
            response.headers.setdefault("Cache-Control", "no-store")
        elif session and "_id" not in session:
            # An anonymous session with something in it (a form's token, a letter followed)
            # carries the browser's fingerprint as a signed-in one does. Without it the
            # "strong" protection finds a mismatch on every request and rewrites the
            # session, and each response sends the cookie back: a read answered after a
            # write (the form's suggestions while it is posted) then undid the write.
            session["_id"] = login_manager._session_identifier_generator()
        return response
