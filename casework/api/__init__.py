"""REST API under /api/v1: bearer tokens, JSON in and out, the same services and
permission rules as the browser. Errors are {"error", "message", "fields"}."""

from __future__ import annotations

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from workflows.errors import DomainError

from ..extensions import csrf
from ..http_errors import domain_json, http_json, json_error
from ..services import tokens
from . import cases, docs, inspections, knowledge, reference, stats  # noqa: F401  (routes register themselves)
from .registry import bp

PUBLIC = {"api.openapi_json", "api.docs", "api.stats_monthly", "api.stats_inspections", "api.search_entries"}


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC or request.endpoint is None:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = tokens.user_for(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        return json_error(401, "unauthorized", "缺少或无效的接口令牌（Authorization: Bearer <token>）。")
    g.api_user = user
    return None


@bp.errorhandler(DomainError)
def domain_error(exc: DomainError):
    return domain_json(exc)


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    return http_json(exc.code or 500, exc.description)


def register(app: Flask) -> None:
    csrf.exempt(bp)  # bearer tokens, never cookies: there is no cross-site request to forge
    app.register_blueprint(bp)

