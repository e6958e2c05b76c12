from __future__ import annotations

from flask import jsonify, render_template

from .openapi import build
from .registry import route

_SPEC: dict | None = None


@route("/openapi.json", "GET", "This document", None, errors=(), public=True)
def openapi_json():
    global _SPEC
    if _SPEC is None:
        _SPEC = build()  # built from code once per process
    return jsonify(_SPEC)


@route("/docs", "GET", "Interactive documentation (Swagger UI, served from this server)", None,
       errors=(), public=True)
def docs():
    response = render_template("api/docs.html")
    # Swagger UI sets inline styles; everything is still loaded from this server only.
    return response, 200, {"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                                                       "style-src 'self' 'unsafe-inline'; script-src 'self'"}
