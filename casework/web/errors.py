"""Errors as users see them: a Chinese message, the right status, nothing changed."""

from __future__ import annotations

from flask import Flask, flash, make_response, redirect, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from workflows.errors import DomainError

from ..http_errors import http_json, http_message, json_error, status_of
from .render import retarget, wants_fragment


def flash_error(exc: Exception, fallback: str = "输入有误。") -> None:
    """A domain error (with its field messages) as a flash message on the next page."""
    fields = getattr(exc, "fields", None) or {}
    flash(getattr(exc, "message", fallback) + "".join(f" {m}" for m in fields.values()), "error")


def act_then_redirect(action, done, target: str):
    """For plain-form office actions: run the service call, flash the outcome (or the
    domain error), and go back to `target`. `done` is the message, or a function of the
    call's result that names what was changed."""
    try:
        result = action()
        flash(done(result) if callable(done) else done, "success")
    except DomainError as exc:
        flash_error(exc)
    return redirect(target, code=303)


PUBLIC_BLUEPRINTS = {"home", "letters", "public_stats", "knowledge"}


def _error_page(status: int, message: str):
    template = "errors/_message.html" if wants_fragment() else "errors/error.html"
    public = request.blueprint in PUBLIC_BLUEPRINTS or not current_user.is_authenticated
    return render_template(template, status=status, message=message,
                           layout="public/layout.html" if public else "base.html"), status


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        return _error_page(status_of(exc), exc.message)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        if wants_fragment():
            # Above the page, never over the form: what the user typed stays on screen.
            html = render_template("_flash.html", category="error",
                                   message="页面已过期或已退出登录，未能提交。请先复制您填写的内容，再刷新页面后重试。")
            return retarget(make_response(html, 400), "#main", "afterbegin")
        return _error_page(400, "页面已过期或表单校验失败，请刷新页面后重试。")

    @app.errorhandler(sa_exc.OperationalError)
    def database_away(exc: sa_exc.OperationalError):
        # The database restarts or fails over: say so (503) rather than "system error".
        app.logger.warning("database unavailable: %s", exc.orig)
        if request.path.startswith("/api/"):
            return json_error(503, "database_unavailable", http_message(503))
        template = "errors/_message.html" if wants_fragment() else "errors/unavailable.html"
        # Straight from the Jinja environment: Flask's context processors would load the
        # signed-in user, from the database that is away.
        html = app.jinja_env.get_template(template).render(status=503, message=http_message(503),
                                                           path=request.path)
        response = make_response(html, 503)
        response.headers["Retry-After"] = "10"
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        if request.path.startswith("/api/"):
            # Routing errors (404, 405) come before the API blueprint is known.
            return http_json(status, exc.description)
        return _error_page(status, http_message(status, exc.description))
