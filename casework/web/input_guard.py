"""Input no handler should ever see, refused before any view runs: NUL bytes and lone
surrogates anywhere in the path, the query string, a form or a JSON body (PostgreSQL and
SQLite cannot store them: they were 500s), JSON nested deeper than any real request
(Python's parser overflows its stack at ~100,000 levels), and JSON bodies over 1 MB.
The answer is 400 (413 for size) with a Chinese message; nothing is changed."""

from __future__ import annotations

import json
import re

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge

from workflows.errors import Invalid

MAX_JSON_BYTES = 1024 * 1024
MAX_DEPTH = 32
_BAD = re.compile(r"[\x00\ud800-\udfff]")
_NESTING = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')
MESSAGE = "请求中含有无效字符（如空字符），请检查输入后重试。"


def _refuse(message: str = MESSAGE) -> Invalid:
    return Invalid({"request": message}, message)


def _bad_text(values) -> bool:
    return any(isinstance(v, str) and _BAD.search(v) for v in values)


def json_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects, counted without parsing (strings,
    with their escapes, are skipped)."""
    depth = deepest = 0
    for token in _NESTING.finditer(raw):
        char = token.group(0)[:1]
        if char in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
        elif char in (b"]", b"}"):
            depth -= 1
    return deepest


def _walk(value) -> bool:
    """Whether a parsed JSON value holds a NUL or a lone surrogate, in a key or a string."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _BAD.search(item):
                return True
        elif isinstance(item, dict):
            if _bad_text(item.keys()):
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def screen() -> None:
    if _BAD.search(request.path) or _bad_text(request.args.keys()) or _bad_text(request.args.values()):
        raise _refuse()
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.is_json:
        if (request.content_length or 0) > MAX_JSON_BYTES:
            raise RequestEntityTooLarge()
        raw = request.get_data(cache=True)
        if len(raw) > MAX_JSON_BYTES:
            raise RequestEntityTooLarge()
        if json_depth(raw) > MAX_DEPTH:
            raise _refuse(f"JSON 嵌套层数超过 {MAX_DEPTH} 层。")
        try:
            body = json.loads(raw) if raw.strip() else None
        except (ValueError, RecursionError):
            return  # the view answers "not valid JSON" in its own words
        if _walk(body):
            raise _refuse()
        return
    form = request.form
    if _bad_text(form.keys()) or _bad_text(form.values()) or \
            _bad_text(f.filename for f in request.files.values()):
        raise _refuse()


def register(app: Flask) -> None:
    # Before CSRF's own check would read the form: first in line.
    app.before_request_funcs.setdefault(None, []).insert(0, screen)
