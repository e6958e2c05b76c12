from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from ..demo import DEMO_PASSWORD, DEMO_PORTAL, demo_accounts, seed_demo
from ..jobs.worker import EmbeddedWorker
from ..redis_connection import is_embedded


def _print_accounts() -> None:
    click.echo(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
    for username, role, unit in demo_accounts():
        click.echo(f"  {username:<10} {role:<12} {unit}")
    click.echo("  …and <unit code>_cbr for every unit's 承办人.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Fill an empty database with Ankang's units, websites, users and cases."""
    if not seed_demo():
        raise click.ClickException("the database already has users; seed-demo only fills an empty one")
    click.echo("demo data created")
    _print_accounts()


@click.command("demo")
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def demo_command(port: int):
    """Migrate, seed the demo data if the database is empty, and serve on 127.0.0.1."""
    upgrade()
    if seed_demo():
        click.echo("demo data created")
    _print_accounts()
    app = current_app._get_current_object()
    for key, value in DEMO_PORTAL.items():
        app.config[key] = app.config.get(key) or value
    if is_embedded(app):
        # No Redis: the worker, scheduler and cron run in this process (fakeredis).
        EmbeddedWorker(app).start()
        click.echo("deadline jobs: embedded worker (no REDIS_URL)")
    click.echo(f"\nOpen http://127.0.0.1:{port}/ (Ctrl-C to stop)\n")
    # app.run() is a no-op inside a flask command; serve with werkzeug directly.
    run_simple("127.0.0.1", port, app, threaded=True)
