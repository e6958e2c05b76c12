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


def spooled(write, name: str, fallback: str) -> Response:
    """A download written to a temporary file by `write(path)` and sent from disk in
    chunks, then deleted: a large export never sits in memory."""
    import os
    import tempfile

    handle, path = tempfile.mkstemp(suffix="." + name.rsplit(".", 1)[1], prefix="casework-export-")
    os.close(handle)
    try:
        write(path)
        stream = open(path, "rb")  # noqa: SIM115 - closed with the response
    finally:
        os.unlink(path)  # the open handle keeps the data readable until it is closed
    response = Response(iter(lambda: stream.read(64 * 1024), b""), content_type=TYPES[name.rsplit(".", 1)[1]])
    response.call_on_close(stream.close)
    response.headers["Content-Disposition"] = (f'attachment; filename="{fallback}"; '
                                               f"filename*=UTF-8''{quote(name, safe='')}")
    return response
