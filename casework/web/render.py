"""Full pages and htmx fragments from the same partials."""

from __future__ import annotations

from flask import Response, make_response, render_template, request

from ..extensions import htmx


def wants_fragment() -> bool:
    """A real htmx swap: not a boosted navigation and not a history restore, which need
    the whole page."""
    return bool(htmx) and not htmx.boosted and not request.headers.get("HX-History-Restore-Request")


def page(template: str, fragment: str | None = None, status: int = 200, **context) -> Response:
    chosen = fragment if fragment and wants_fragment() else template
    return make_response(render_template(chosen, **context), status)


def retarget(response: Response, selector: str, swap: str = "outerHTML") -> Response:
    """Send an htmx error fragment to a different element than the form targeted."""
    response.headers["HX-Retarget"] = selector
    response.headers["HX-Reswap"] = swap
    return response

