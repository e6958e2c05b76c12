"""What one calendar for every process costs a request: the data versions read once per
request (PostgreSQL, the Core statement casework/reference.py uses: the calendar's, the
accounts' and the reference data's counters) against the Redis GET
of the cache token it replaced, and against a trivial query on the same connection."""

from __future__ import annotations

import redis
import sqlalchemy as sa

from casework import create_app, reference
from casework.extensions import db

from .harness import Row, median_of, timed

PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
DATABASE = "casework_bench_calendar"
N = 2000


def _admin():
    return sa.create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")


def run(repeat: int = 5) -> list[Row]:
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{DATABASE}"'))
    try:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"{PG}/{DATABASE}",
                          "LOG_LEVEL": "WARNING"})
        with app.app_context():
            db.create_all()
            version = lambda: db.session.execute(reference._VERSIONS).all()  # noqa: E731
            trivial = lambda: db.session.execute(sa.text("SELECT 1")).scalar()  # noqa: E731
            ours = median_of(repeat, lambda: timed(lambda: [version() for _ in range(N)]) / N * 1e6)
            floor = median_of(repeat, lambda: timed(lambda: [trivial() for _ in range(N)]) / N * 1e6)
            db.session.remove()
            db.engine.dispose()
        token = redis.Redis.from_url("redis://127.0.0.1:6379/0")
        old = median_of(repeat, lambda: timed(lambda: [token.get("casework:bench:none") for _ in range(N)]) / N * 1e6)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        admin.dispose()
    return [Row("data versions read per request vs the Redis token GET it replaced", ours, old, "µs",
                "report both"),
            Row("data versions read per request vs SELECT 1 on the same connection", ours, floor, "µs",
                "≤ 1.5× SELECT 1", ours <= 1.5 * floor)]
