"""How errors reach HTTP clients, for the pages and the API alike: the status of each
domain error, the Chinese message of each HTTP status, and the API's JSON error body."""

from __future__ import annotations

from flask import jsonify

from workflows.errors import Conflict, DomainError, Forbidden, Invalid, NotAllowed, NotFound

STATUS = {NotFound: 404, Forbidden: 403, NotAllowed: 409, Conflict: 409, Invalid: 400}
HTTP_MESSAGES = {
    400: "请求有误。", 403: "您无权执行此操作。",
    404: "页面不存在或您无权查看。", 405: "不支持该请求方式。", 409: "操作与案件当前状态冲突。",
    413: "上传的内容过大。", 429: "操作过于频繁，请稍后再试。", 500: "系统出现错误，请稍后再试或联系管理员。",
    503: "数据库暂时无法连接，请稍后再试。",
}


def status_of(exc: DomainError) -> int:
    for cls, status in STATUS.items():
        if isinstance(exc, cls):
            return status
    return 400


def http_message(status: int, default: str | None = None) -> str:
    return HTTP_MESSAGES.get(status, default or HTTP_MESSAGES[500])


def json_error(status: int, code: str, message: str, **extra):
    """The API's error body: {"error", "message", "fields"?, "allowed_events"?}."""
    body = {"error": code, "message": message, **{k: v for k, v in extra.items() if v}}
    return jsonify(body), status


def domain_json(exc: DomainError):
    allowed = exc.allowed if isinstance(exc, NotAllowed) else None
    return json_error(status_of(exc), exc.code, exc.message, fields=getattr(exc, "fields", None),
                      allowed_events=allowed)


def http_json(status: int, description: str | None = None):
    return json_error(status, f"http_{status}", http_message(status, description))
