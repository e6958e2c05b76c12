"""casework: findings and citizen letters driven to a compliant, on-time answer."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from werkzeug.middleware.proxy_fix import ProxyFix

from . import (
    api,
    calendar,
    cli,
    logs,
    models,  # noqa: F401  (every mapper exists before the first query)
    reference,
    web,
)
from .config import ensure_secret_key, from_env
from .documents.render import check_templates
from .extensions import csrf, db, htmx, limiter, login_manager, migrate
from .jobs import schedule
from .models.changes import case_changes, case_events, reference_changes
from .pipeline import Pipeline, install
from .queries import knowledge, nav_counts
from .services import search_index

PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Templates, static files and migrations: package data in an installed wheel, the
    top-level folders of a checkout (and of an editable install)."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


def instance_dir() -> Path:
    """instance/ of the checkout, or of the working directory when installed from a wheel;
    CASEWORK_INSTANCE_PATH overrides both."""
    if configured := os.environ.get("CASEWORK_INSTANCE_PATH"):
        return Path(configured)
    checkout = PACKAGE.parent
    return (checkout if (checkout / "pyproject.toml").is_file() else Path.cwd()) / "instance"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(instance_dir()),
                template_folder=str(data_dir("templates")), static_folder=str(data_dir("static")))
    app.config.update(from_env(app.instance_path))
    app.config.update(config or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    ensure_secret_key(app.config, app.instance_path)
    # The limiter counts in the deployment's Redis when there is one (every process sees
    # the same counts), else in memory.
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    if app.config.get("TRUSTED_PROXIES"):
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    logs.configure(app)
    check_templates(app.config)

    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)
    # The search index is written in the flush that changes what it indexes (same
    # transaction), not after the commit: a rollback undoes both.
    if not event.contains(Session, "after_flush", search_index.index_flush):
        event.listen(Session, "after_flush", search_index.index_flush)
    reference.install()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(data_dir("migrations")), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)

    install(app, after_commit_pipeline())
    web.register(app)
    api.register(app)
    cli.register(app)
    return app


def after_commit_pipeline() -> Pipeline:
    """What follows a commit, in order. Each subscriber is independent: one failing is
    logged and the others still run (see casework/pipeline.py)."""
    pipeline = Pipeline()
    pipeline.observe(case_changes)
    pipeline.observe(reference_changes)
    pipeline.observe(case_events)
    pipeline.subscribe("deadline jobs and deliveries", schedule.on_commit)
    pipeline.subscribe("hand-off notices", schedule.notify_handoffs)
    pipeline.subscribe("navigation counts", nav_counts.on_commit)
    pipeline.subscribe("calendar", calendar.on_commit)
    pipeline.subscribe("search synonyms", knowledge.on_commit)
    return pipeline


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the in-process worker read while a request writes; foreign keys are off
    # by default in SQLite.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
