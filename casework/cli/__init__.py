"""`flask --app wsgi …` commands. Thin: parse, call a service, print."""

from __future__ import annotations

from flask import Flask

from . import user_admin  # noqa: F401  (adds the administration commands to `users`)
from .calendar import calendar_group
from .deadlines import deadlines_group
from .demo import demo_command, seed_demo_command
from .findings import findings_group
from .jobs import cron_command, jobs_group, worker_command
from .knowledge import knowledge_group
from .notices import notices_group
from .phrases import phrases_group
from .redaction import redaction_group
from .users import users_group


def register(app: Flask) -> None:
    for command in (users_group, calendar_group, deadlines_group, seed_demo_command, demo_command,
                    jobs_group, worker_command, cron_command, phrases_group, findings_group,
                    redaction_group, notices_group, knowledge_group):
        app.cli.add_command(command)
