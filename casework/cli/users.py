from __future__ import annotations

import click
from flask.cli import AppGroup

from workflows.vocabulary import ROLES

from ..permissions import SYSTEM_ACTOR
from ..services import accounts
from .errors import domain_errors

users_group = AppGroup("users", help="Manage user accounts.")


@users_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(sorted(ROLES)), required=True)
@click.option("--unit", "unit_code", help="Unit code, for unit_handler and unit_leader.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", "display_name", help="Display name (default: the username).")
def create(username, role, unit_code, password, display_name):
    """Create a user."""
    with domain_errors():
        user = accounts.create_user(SYSTEM_ACTOR, username, role, password,
                                    display_name=display_name, unit_code=unit_code)
    click.echo(f"created {user.username} ({user.role}{', ' + unit_code if unit_code else ''})")
