from __future__ import annotations

import click
from flask.cli import AppGroup

from workflows.vocabulary import ROLES

from ..permissions import SYSTEM_ACTOR
from ..services import accounts, tokens
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


@users_group.command("token")
@click.argument("username")
def token(username):
    """Print a new API token for USERNAME (shown once; store it in the client system)."""
    with domain_errors():
        click.echo(tokens.issue(SYSTEM_ACTOR, username))


@users_group.command("revoke-tokens")
@click.argument("username")
def revoke_tokens(username):
    """Revoke every API token of USERNAME."""
    with domain_errors():
        count = tokens.revoke(SYSTEM_ACTOR, username)
    click.echo(f"revoked {count} token(s) of {username}")
