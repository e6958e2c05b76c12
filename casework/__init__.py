"""casework: findings and citizen letters driven to a compliant, on-time answer."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .config import ensure_secret_key, from_env
from .extensions import csrf, db, htmx, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(ROOT / "instance"),
                template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.config.update(from_env(app.instance_path))
    app.config.update(config or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    ensure_secret_key(app.config, app.instance_path)
    from .documents.render import check_templates

    check_templates(app.config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)

    from . import models  # noqa: F401  (mappers must exist before the first query)
    from .cli import register as register_cli
    from .queries import nav_counts  # noqa: F401  (every process must drop stale counts)
    from .web import register as register_web

    register_web(app)
    register_cli(app)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the in-process worker read while a request writes; foreign keys are off
    # by default in SQLite.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
