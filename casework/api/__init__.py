"""REST API under /api/v1: bearer tokens, JSON in and out, the same services and
permission rules as the browser. Errors are {"error", "message", "fields"}."""

from __future__ import annotations

from flask import Flask, g, jsonify, request
from werkzeug.exceptions import HTTPException

from workflows.errors import DomainError, NotAllowed

from ..extensions import csrf
from ..web.errors import HTTP_MESSAGES, status_of
from .registry import OPERATIONS, bp

PUBLIC = {"api.openapi_json", "api.docs", "api.stats_monthly", "api.stats_inspections"}


def error(status: int, code: str, message: str, **extra):
    body = {"error": code, "message": message, **{k: v for k, v in extra.items() if v}}
    return jsonify(body), status


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC or request.endpoint is None:
        return None
    from ..services import tokens

    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = tokens.user_for(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        return error(401, "unauthorized", "缺少或无效的接口令牌（Authorization: Bearer <token>）。")
    g.api_user = user
    return None


@bp.errorhandler(DomainError)
def domain_error(exc: DomainError):
    allowed = exc.allowed if isinstance(exc, NotAllowed) else None
    return error(status_of(exc), exc.code, exc.message, fields=getattr(exc, "fields", None),
                 allowed_events=allowed)


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    status = exc.code or 500
    return error(status, "http_" + str(status), HTTP_MESSAGES.get(status, exc.description))


def register(app: Flask) -> None:
    from . import cases, docs, inspections, reference, stats  # noqa: F401  (routes register themselves)

    csrf.exempt(bp)  # bearer tokens, never cookies: there is no cross-site request to forge
    app.register_blueprint(bp)


__all__ = ["OPERATIONS", "bp", "error", "register"]
