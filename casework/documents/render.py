"""Rendering a notice from its .docx template (docxtpl, Jinja with autoescape: unit names
and citizens' words are text, never markup)."""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path

from docxtpl import DocxTemplate

KINDS = ("monthly", "quarterly")


def shipped(kind: str) -> Path:
    return Path(str(resources.files("casework.documents").joinpath(f"templates/{kind}.docx")))


def template_path(config: dict, kind: str) -> Path:
    """The office's own template if a setting names one, else the shipped one."""
    configured = config.get(f"NOTICE_TEMPLATE_{kind.upper()}")
    return Path(configured) if configured else shipped(kind)


def check_templates(config: dict) -> None:
    """At start-up: a setting that names a missing template stops the app, rather than
    the first download of a 通报."""
    for kind in KINDS:
        path = template_path(config, kind)
        if not path.is_file():
            raise RuntimeError(f"NOTICE_TEMPLATE_{kind.upper()} names {path}, which is not a file")


def render(path: Path, context: dict) -> bytes:
    template = DocxTemplate(str(path))
    template.render(context, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
