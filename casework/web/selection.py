"""The cases a user ticked in a list for a bulk action, with the version each row showed."""

from __future__ import annotations

from flask import request


def selected_cases() -> list[tuple[str, int | None]]:
    """(number, version seen) per ticked box: `numbers` holds the numbers, `version-<number>`
    the version the row was drawn with (a case changed since is refused, alone)."""
    out = []
    for number in request.form.getlist("numbers"):
        version = request.form.get(f"version-{number}", "")
        out.append((number.strip(), int(version) if version.isdigit() else None))
    return out
