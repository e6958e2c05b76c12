from __future__ import annotations

import click
from flask.cli import AppGroup

from ..queries import masking
from ..services import redaction_policy
from .errors import domain_errors

redaction_group = AppGroup("redaction", help="Names published as written (the office's allow list).")


@redaction_group.command("list")
def list_():
    """The allowed public names (units' own names are always allowed)."""
    for name in masking.public_names():
        click.echo(name)


@redaction_group.command("allow")
@click.argument("name")
def allow(name):
    """Publish NAME as written (an official's public name, a place taken for a person)."""
    with domain_errors():
        redaction_policy.allow(name)
    click.echo(f"allowed {name}")


@redaction_group.command("disallow")
@click.argument("name")
def disallow(name):
    click.echo(f"removed {name}" if redaction_policy.disallow(name) else f"not in the list: {name}")
