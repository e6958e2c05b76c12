from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from ..permissions import SYSTEM_ACTOR
from ..services import inspections
from .errors import domain_errors

findings_group = AppGroup("findings", help="Inspection findings.")


@findings_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--round", "round_name", required=True, help="Inspection round, e.g. 2020 年一季度检查.")
@click.option("--deadline", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Rectification deadline set by the notice.")
@click.option("--dry-run", is_flag=True, help="Only show what would be created; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the preview as JSON, one object per row.")
def import_(file: Path, round_name: str, deadline, dry_run: bool, as_json: bool):
    """Import a result table (xlsx/csv, the notice's 附件 shape) as findings."""
    content = file.read_bytes()
    with domain_errors():
        rows = inspections.preview(content, file.name)
        if as_json:
            click.echo(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=1))
        else:
            for r in rows:
                target = r.row.address or r.row.account_name or ""
                notes = "；".join(r.row.errors + r.row.warnings)
                click.echo(f"{r.row.line:>4} {'ERR' if r.row.errors else 'ok '} {target:<28} "
                           f"{r.unit.code if r.unit else '-':<10} {len(r.row.items)} item(s) {notes}")
        if dry_run:
            return
        rnd, count = inspections.commit(SYSTEM_ACTOR, content, file.name, round_name, deadline.date())
    click.echo(f"imported {count} finding(s) into {rnd.name}")


@findings_group.command("categories")
def categories():
    """The problem categories the office uses."""
    inspections.ensure_categories()
    for category in inspections.categories():
        click.echo(f"{category.code:<18} {category.label}{'' if category.active else '（停用）'}")


@findings_group.command("category")
@click.argument("code")
@click.argument("label")
@click.option("--inactive", is_flag=True, help="Keep it for old findings but offer it no more.")
def category(code: str, label: str, inactive: bool):
    """Add a category to the catalogue, or rename / deactivate one."""
    with domain_errors():
        row = inspections.set_category(SYSTEM_ACTOR, code, label, not inactive)
    click.echo(f"{row.code}: {row.label}{'' if row.active else '（停用）'}")
