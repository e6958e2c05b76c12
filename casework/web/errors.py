"""Errors as users see them: a Chinese message, the right status, nothing changed."""

from __future__ import annotations

from flask import Flask, flash, redirect, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from workflows.errors import DomainError

from ..http_errors import http_json, http_message, status_of
from .render import wants_fragment


def flash_error(exc: Exception, fallback: str = "输入有误。") -> None:
    """A domain error (with its field messages) as a flash message on the next page."""
    fields = getattr(exc, "fields", None) or {}
    flash(getattr(exc, "message", fallback) + "".join(f" {m}" for m in fields.values()))


def act_then_redirect(action, done: str, target: str):
    """For plain-form office actions: run the service call, flash the outcome (or the
    domain error), and go back to `target`."""
    try:
        action()
        flash(done)
    except DomainError as exc:
        flash_error(exc)
    return redirect(target, code=303)


def _error_page(status: int, message: str):
    template = "errors/_message.html" if wants_fragment() else "errors/error.html"
    return render_template(template, status=status, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        return _error_page(status_of(exc), exc.message)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return _error_page(400, "页面已过期或表单校验失败，请刷新页面后重试。")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        if request.path.startswith("/api/"):
            # Routing errors (404, 405) come before the API blueprint is known.
            return http_json(status, exc.description)
        return _error_page(status, http_message(status, exc.description))
