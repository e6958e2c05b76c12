from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from rq.cron import CronScheduler

from .. import clock
from ..jobs import reconcile
from ..jobs.connection import queue
from ..jobs.worker import make_worker, register_cron
from ..redis_connection import is_embedded, redis_for

jobs_group = AppGroup("jobs", help="Deadline jobs.")


def _require_redis() -> None:
    if is_embedded():
        raise click.ClickException("REDIS_URL is not set: a separate worker needs a Redis server "
                                   "(the demo runs its worker inside the web process)")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run until the queue is empty, then stop.")
@click.option("--with-scheduler/--without-scheduler", default=True, show_default=True,
              help="Also move due scheduled jobs onto the queue (safe on several workers).")
@with_appcontext
def worker_command(burst: bool, with_scheduler: bool):
    """Run an RQ worker inside the app (deadline jobs, deliveries)."""
    _require_redis()
    make_worker(current_app._get_current_object()).work(burst=burst, with_scheduler=with_scheduler)


@click.command("cron")
@with_appcontext
def cron_command():
    """Run RQ's cron scheduler: reconciliation every 3 minutes, deliveries, daily digest."""
    _require_redis()
    register_cron(CronScheduler(connection=redis_for())).start()


@jobs_group.command("reconcile")
def reconcile_command():
    """Repair deadlines now: mark, escalate, remind what is due; reschedule lost jobs."""
    click.echo(json.dumps(reconcile.run(clock.now()), ensure_ascii=False))


@jobs_group.command("status")
def status_command():
    """How many jobs are scheduled, queued and failed."""
    q = queue()
    click.echo(json.dumps({"scheduled": q.scheduled_job_registry.count, "queued": q.count,
                           "failed": q.failed_job_registry.count, "embedded": is_embedded()}))
