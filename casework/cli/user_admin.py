"""User administration from the command line (the same service as /admin/users):
`flask --app wsgi users list | set-role | disable | enable | unlock | reset-password |
end-sessions`. Actions are audited with the system as the actor."""

from __future__ import annotations

import click

from workflows.vocabulary import ROLES

from .. import clock
from ..permissions import SYSTEM_ACTOR
from ..services import user_admin
from .errors import domain_errors
from .users import users_group


@users_group.command("list")
def list_users():
    """Every account with its role, unit and state."""
    now = clock.now()
    for u in user_admin.users():
        state = ("disabled" if not u.active else "locked" if u.locked_until and u.locked_until > now
                 else "active") + (", must change password" if u.must_change_password else "")
        click.echo(f"{u.username:20} {u.role:13} {(u.unit.code if u.unit else '-'):12} {state}")


@users_group.command("set-role")
@click.argument("username")
@click.option("--role", type=click.Choice(sorted(ROLES)), required=True)
@click.option("--unit", "unit_code", help="Unit code, for unit_handler and unit_leader.")
def set_role(username, role, unit_code):
    """Change USERNAME's role and unit (their sessions end)."""
    with domain_errors():
        user_admin.change_role(SYSTEM_ACTOR, username, role, unit_code)
    click.echo(f"{username} is now {role}{', ' + unit_code if unit_code else ''}")


def _simple(name: str, call, done: str, help_text: str):
    @users_group.command(name, help=help_text)
    @click.argument("username")
    def command(username):
        with domain_errors():
            call(username)
        click.echo(done.format(username=username))
    return command


_simple("disable", lambda n: user_admin.set_active(SYSTEM_ACTOR, n, False), "disabled {username}; sessions ended",
        "Disable USERNAME (signing in refused, sessions and API use end).")
_simple("enable", lambda n: user_admin.set_active(SYSTEM_ACTOR, n, True), "enabled {username}",
        "Enable USERNAME again.")
_simple("unlock", lambda n: user_admin.unlock(SYSTEM_ACTOR, n), "unlocked {username}",
        "Lift the lock after repeated wrong passwords.")
_simple("end-sessions", lambda n: user_admin.end_sessions(SYSTEM_ACTOR, n), "ended every session of {username}",
        "End every browser session of USERNAME (they must sign in again).")


@users_group.command("reset-password")
@click.argument("username")
@click.option("--password", default=None, help="The new password (default: a generated one, printed once).")
def reset_password(username, password):
    """Set a new password that USERNAME must change at the next sign-in."""
    with domain_errors():
        _, temporary = user_admin.reset_password(SYSTEM_ACTOR, username, password)
    click.echo(f"temporary password for {username}: {temporary} (to be changed at next sign-in)"
               if not password else f"password of {username} reset (to be changed at next sign-in)")
