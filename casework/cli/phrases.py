from __future__ import annotations

import click
from flask.cli import AppGroup

from ..services import quality

phrases_group = AppGroup("phrases", help="The list of improper phrases (雷人雷语) flagged in replies.")


@phrases_group.command("list")
def list_():
    for phrase in quality.improper_phrases():
        click.echo(phrase)


@phrases_group.command("add")
@click.argument("phrase")
def add(phrase):
    quality.add_phrase(phrase)
    click.echo(f"added {phrase}")


@phrases_group.command("remove")
@click.argument("phrase")
def remove(phrase):
    click.echo(f"removed {phrase}" if quality.remove_phrase(phrase) else f"not in the list: {phrase}")
