"""Errors as users see them: a Chinese message, the right status, nothing changed."""

from __future__ import annotations

from flask import Flask, make_response, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from workflows.errors import Conflict, DomainError, Forbidden, Invalid, NotAllowed, NotFound

from .render import wants_fragment

STATUS = {NotFound: 404, Forbidden: 403, NotAllowed: 409, Conflict: 409, Invalid: 400}
HTTP_MESSAGES = {
    400: "请求有误。", 403: "您无权执行此操作。", 404: "页面不存在或您无权查看。",
    405: "不支持该请求方式。", 409: "操作与案件当前状态冲突。",
    413: "上传的内容过大。", 503: "数据库暂时无法连接，请稍后再试。", 429: "操作过于频繁，请稍后再试。", 500: "系统出现错误，请稍后再试或联系管理员。",
}


def status_of(exc: DomainError) -> int:
    for cls, status in STATUS.items():
        if isinstance(exc, cls):
            return status
    return 400


def flash_error(exc: Exception, fallback: str = "输入有误。") -> None:
    """A domain error (with its field messages) as a flash message on the next page."""
    from flask import flash

    fields = getattr(exc, "fields", None) or {}
    flash(getattr(exc, "message", fallback) + "".join(f" {m}" for m in fields.values()))


def act_then_redirect(action, done: str, target: str):
    """For plain-form office actions: run the service call, flash the outcome (or the
    domain error), and go back to `target`."""
    from flask import flash, redirect

    try:
        action()
        flash(done)
    except DomainError as exc:
        flash_error(exc)
    return redirect(target, code=303)


PUBLIC_BLUEPRINTS = {"home", "letters", "public_stats"}


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
        return _error_page(400, "页面已过期或表单校验失败，请刷新页面后重试。")

    @app.errorhandler(sa_exc.OperationalError)
    def database_away(exc: sa_exc.OperationalError):
        # The database restarts or fails over: say so (503) rather than "system error".
        app.logger.warning("database unavailable: %s", exc.orig)
        if request.path.startswith("/api/"):
            from ..api import error
            return error(503, "database_unavailable", HTTP_MESSAGES[503])
        template = "errors/_message.html" if wants_fragment() else "errors/unavailable.html"
        # Straight from the Jinja environment: Flask's context processors would load the
        # signed-in user, from the database that is away.
        html = app.jinja_env.get_template(template).render(status=503, message=HTTP_MESSAGES[503],
                                                           path=request.path)
        response = make_response(html, 503)
        response.headers["Retry-After"] = "10"
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        if request.path.startswith("/api/"):
            # Routing errors (404, 405) come before the API blueprint is known.
            from ..api import error
            return error(status, f"http_{status}", HTTP_MESSAGES.get(status, exc.description))
        return _error_page(status, HTTP_MESSAGES.get(status, exc.description))
