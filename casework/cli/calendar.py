from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from .. import calendar
from ..permissions import SYSTEM_ACTOR
from ..services import calendar_admin
from .errors import domain_errors

calendar_group = AppGroup("calendar", help="Working-day calendar.")

_WEEKDAYS = "一二三四五六日"


@calendar_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", default=None, help="Where the arrangement comes from (notice number).")
def import_(file: Path, source: str | None):
    """Import a year's arrangement from a CSV (date,status,note), then recompute with
    `flask deadlines recompute`."""
    with domain_errors():
        days = calendar_admin.parse_arrangement(file.read_text(encoding="utf-8-sig"))
        years = calendar_admin.import_arrangement(SYSTEM_ACTOR, days, source or file.name)
    click.echo(f"imported {len(days)} days for {', '.join(map(str, years))}")
    click.echo("now run: flask --app wsgi deadlines recompute")


@calendar_group.command("set")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.argument("status", type=click.Choice(["work", "off"]))
@click.option("--note", default="")
def set_(day, status, note):
    """Override one day."""
    with domain_errors():
        calendar_admin.set_override(SYSTEM_ACTOR, day.date(), status == "work", note)
    click.echo(f"{day.date()} is now {'a working day' if status == 'work' else 'a day off'}")


@calendar_group.command("show")
@click.argument("year", type=int)
def show(year: int):
    """Each day that differs from the plain week, and the year's totals."""
    days = calendar.current().year(year)
    sources = {d.source for d in days}
    for d in days:
        plain = d.day.weekday() < 5
        if d.working != plain or d.source == "override":
            kind = "班" if d.working else "休"
            click.echo(f"{d.day}  周{_WEEKDAYS[d.day.weekday()]}  {kind}  {d.source:<11} {d.note}")
    working = sum(d.working for d in days)
    click.echo(f"{year}: {working} working days, {len(days) - working} days off "
               f"(sources: {', '.join(sorted(sources))})")
    if "provisional" in sources:
        click.echo("provisional: no official arrangement for this year yet; weekends and the "
                   "fixed-date holidays are counted as days off")
