from __future__ import annotations

import click
from flask.cli import AppGroup

from ..permissions import SYSTEM_ACTOR
from ..queries import deadline_rules
from ..services import policy, recompute
from .errors import domain_errors

deadlines_group = AppGroup("deadlines", help="Deadline policy and due dates.")


@deadlines_group.command("recompute")
def recompute_():
    """Recompute provisional due dates of open cases with the current calendar."""
    changes = recompute.recompute_provisional()
    for c in changes:
        flag = " (still provisional)" if c.still_provisional else ""
        click.echo(f"{c.number}: {c.old_due} -> {c.new_due}{flag}")
    click.echo(f"{len(changes)} case(s) changed")


@deadlines_group.command("rules")
def rules():
    """List the rules in force."""
    for r in sorted(deadline_rules.active_rules(), key=lambda r: (r.case_type, r.stage, r.id)):
        limit = f"{r.days} working days" if r.days is not None else "fixed date"
        scope = "/".join(x for x in (r.category, r.channel) if x) or "-"
        click.echo(f"{r.id:>3}  {r.case_type:<8} {r.stage:<7} {scope:<12} {limit:<16} {r.label}")


@deadlines_group.command("set-rule")
@click.argument("rule_id", type=int)
@click.argument("days", type=int)
def set_rule(rule_id: int, days: int):
    """Supersede a rule with a new number of working days (running clocks keep theirs)."""
    with domain_errors():
        new = policy.change_rule(SYSTEM_ACTOR, rule_id, days)
    click.echo(f"rule {rule_id} superseded by {new.id}: {days} working days")
