"""Files sent for download: the right type (csv with one charset) and a Chinese name
(RFC 5987 filename*, with an ASCII name for old clients)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response

TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "csv": "text/csv; charset=utf-8",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def attachment(content: bytes, name: str, fallback: str) -> Response:
    """`name` e.g. 2026年11月市长信箱来信办理情况.xlsx; `fallback` its ASCII stand-in."""
    fmt = name.rsplit(".", 1)[1]
    response = Response(content, content_type=TYPES[fmt])
    response.headers["Content-Disposition"] = (f'attachment; filename="{fallback}"; '
                                               f"filename*=UTF-8''{quote(name, safe='')}")
    return response
