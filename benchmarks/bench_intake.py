"""Letters created one by one through the service layer (validation, state machine, audit
events, deadline, jobs scheduled on real Redis) vs raw single-row INSERTs of the same rows,
one commit each, on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import psycopg

from .generate import SERVER, migrate, recreate
from .harness import Row, median_of, timed

DATABASE = "casework_bench_intake"
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")


def _app():
    from casework import create_app
    from casework.permissions import SYSTEM_ACTOR
    from casework.services import accounts

    url = f"{SERVER}/{DATABASE}"
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "REDIS_URL": REDIS_URL, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        accounts.create_unit(SYSTEM_ACTOR, "zyx", "紫阳县人民政府", "county")
        accounts.create_user(SYSTEM_ACTOR, "dispatcher", "dispatcher", "bench-password-1")
    return app


def _letters(n: int) -> list[dict]:
    return [{"subject": f"城关镇自来水频繁停水 {i}", "body": "近一个月停水四次，没有提前通知，请尽快处理。",
             "category": "consultation", "channel": "phone", "citizen_name": "王先生",
             "citizen_phone": "13909150001", "unit_code": "zyx"} for i in range(n)]


def _service_rate(app, letters) -> float:
    from casework.extensions import db
    from casework.models import User
    from casework.services import intake

    def register_all():
        for data in letters:  # keep no reference: each request's session is short-lived
            intake.register_letter(dispatcher, data)

    with app.app_context():
        dispatcher = db.session.scalar(db.select(User).where(User.username == "dispatcher"))
        return len(letters) / timed(register_all)


def _raw_rate(letters) -> float:
    now = datetime.now(UTC)
    with psycopg.connect(f"{SERVER}/{DATABASE}".replace("+psycopg", "")) as conn:
        def run():
            for data in letters:
                conn.execute(
                    "INSERT INTO cases (number, type, category, channel, subject, body, citizen_name,"
                    " citizen_phone, state, unit_id, received_at, due_provisional, overdue, return_count,"
                    " created_at, updated_at, version) VALUES (%s, 'letter', %s, %s, %s, %s, %s, %s,"
                    " 'opened', 1, %s, false, false, 0, %s, %s, 1)",
                    (f"RAW-{uuid.uuid4().hex[:12]}", data["category"], data["channel"], data["subject"],
                     data["body"], data["citizen_name"], data["citizen_phone"], now, now, now))
                conn.commit()
        return len(letters) / timed(run)


def _floor_rate(letters) -> float:
    """The writes a correct intake cannot avoid, with no Python framework at all: number
    the case, insert it with its two audit events, commit, then schedule its three
    deadline jobs in one Redis round trip. The ceiling for any implementation."""
    import redis

    now = datetime.now(UTC)
    r = redis.Redis.from_url(REDIS_URL)
    with psycopg.connect(f"{SERVER}/{DATABASE}".replace("+psycopg", "")) as conn:
        def run():
            for data in letters:
                seq = conn.execute("INSERT INTO case_number_sequences (prefix, year, last) VALUES ('FL', 2026, 1)"
                                   " ON CONFLICT (prefix, year) DO UPDATE SET last = case_number_sequences.last + 1"
                                   " RETURNING last").fetchone()[0]
                case_id = conn.execute(
                    "INSERT INTO cases (number, type, category, channel, subject, body, citizen_name,"
                    " citizen_phone, state, unit_id, received_at, due_at, due_provisional, overdue, return_count,"
                    " created_at, updated_at, version) VALUES (%s, 'letter', %s, %s, %s, %s, %s, %s,"
                    " 'assigned', 1, %s, %s, false, false, 0, %s, %s, 1) RETURNING id",
                    (f"FL-2026-{seq:07d}", data["category"], data["channel"], data["subject"], data["body"],
                     data["citizen_name"], data["citizen_phone"], now, now, now, now)).fetchone()[0]
                conn.cursor().executemany(
                    "INSERT INTO case_events (case_id, actor_id, event, from_state, to_state, at, data)"
                    " VALUES (%s, 1, %s, %s, %s, %s, '{}')",
                    [(case_id, "create", None, "opened", now), (case_id, "assign", "opened", "assigned", now)])
                conn.commit()
                pipe = r.pipeline(transaction=False)
                for kind in ("remind", "overdue", "escalate"):
                    pipe.zadd("bench:floor", {f"case-{case_id}-{kind}": now.timestamp()})
                pipe.execute()
        rate = len(letters) / timed(run)
    r.delete("bench:floor")
    return rate


def run(repeat: int = 5, n: int = 500) -> list[Row]:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    recreate(DATABASE)
    migrate(f"{SERVER}/{DATABASE}")
    app = _app()
    letters = _letters(n)
    _service_rate(app, letters[:50])  # warm up caches and connections
    ours = median_of(repeat, lambda: _service_rate(app, letters))
    raw = median_of(repeat, lambda: _raw_rate(letters))
    floor = median_of(repeat, lambda: _floor_rate(letters))
    redis.Redis.from_url(REDIS_URL).flushdb()
    return [Row(f"intake: letters registered + assigned one by one ({n} per run)", ours, raw, "cases/s",
                "≥ 40% of raw", ours >= 0.4 * raw),
            Row("intake: the same writes in raw SQL + one Redis pipeline (the floor of any intake) vs raw "
                "INSERTs", floor, raw, "cases/s", "— (what 40% would need)")]
