from __future__ import annotations

import shutil
from pathlib import Path

import click
from flask.cli import AppGroup

from ..documents import builder
from ..documents.render import KINDS, shipped

notices_group = AppGroup("notices", help="The .docx templates of the 通报.")


@notices_group.command("export-templates")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_templates(directory: Path):
    """Copy the shipped templates out, for an office to make its own (then set
    NOTICE_TEMPLATE_MONTHLY / NOTICE_TEMPLATE_QUARTERLY)."""
    directory.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        target = directory / f"{kind}.docx"
        shutil.copyfile(shipped(kind), target)
        click.echo(str(target))


@notices_group.command("build-templates")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def build_templates(directory: Path):
    """Rebuild the GB/T 9704 templates from casework/documents/builder.py."""
    for path in builder.build_all(directory):
        click.echo(str(path))
