"""Reconciliation over the generated database (1,000,000 cases, 200,000 open, 5,000 due
but unmarked) vs the equivalent bare SQL in the same run.

Redis starts in the steady state (every future job of every open case scheduled), so a
run marks the 5,000, escalates what follows, finds every job present, and reschedules
nothing. Between repetitions the 5,000 are put back as they were. Ours runs in a child
process, so its peak memory is the worker's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta

import psycopg

from .generate import SERVER, migrate
from .generate import main as generate
from .harness import Row, median_of, peak_rss_mb

DATABASE = os.environ.get("BENCH_DB", "casework_bench")
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/12")
PLAIN = f"{SERVER}/{DATABASE}".replace("+psycopg", "")
RUNNING = "('approving', 'assigned', 'returned')"


def _app():
    from casework import create_app
    return create_app({"TESTING": True, "SECRET_KEY": "bench", "REDIS_URL": REDIS_URL,
                       "SQLALCHEMY_DATABASE_URI": f"{SERVER}/{DATABASE}"})


def bench_now(conn) -> datetime:
    # The generator's `now`: open cases were received up to an hour before it.
    return conn.execute("SELECT max(received_at) FROM cases").fetchone()[0] + timedelta(hours=1)


def fill_redis(now: datetime) -> int:
    """Schedule every future job of every open case, pipelined (setup, not timed)."""
    import redis

    from casework.jobs import schedule
    from casework.jobs.connection import queue
    from casework.jobs.reconcile import expected_jobs

    redis.Redis.from_url(REDIS_URL).flushdb()
    app = _app()
    count = 0
    with app.app_context():
        q = queue()
        for ids in expected_jobs(now):
            pipe = q.connection.pipeline()
            for job_id in ids:
                case_id, kind, moment = schedule.parse_job_id(job_id)
                job = q.create_job(schedule.TASKS[kind], args=(case_id, moment.isoformat()),
                                   job_id=job_id, result_ttl=600)
                q.schedule_job(job, moment, pipeline=pipe)
            pipe.execute()
            count += len(ids)
    return count


class Reset:
    """Remember the cases that are due but unmarked, and put them back after each run."""

    def __init__(self, now: datetime):
        with psycopg.connect(PLAIN) as conn:
            self.ids = [r[0] for r in conn.execute(
                f"SELECT id FROM cases WHERE state IN {RUNNING} AND due_at <= %s AND NOT overdue", (now,))]
            self.events = conn.execute("SELECT coalesce(max(id), 0) FROM case_events").fetchone()[0]
            self.notes = conn.execute("SELECT coalesce(max(id), 0) FROM notifications").fetchone()[0]

    def __call__(self) -> None:
        with psycopg.connect(PLAIN) as conn:
            conn.execute("UPDATE cases SET overdue = false, overdue_at = NULL, escalated_at = NULL "
                         "WHERE id = ANY(%s)", (self.ids,))
            # The audit trail is append-only; only this benchmark's copy may be rewound.
            conn.execute("ALTER TABLE case_events DISABLE TRIGGER case_events_append_only")
            conn.execute("DELETE FROM case_events WHERE id > %s", (self.events,))
            conn.execute("ALTER TABLE case_events ENABLE TRIGGER case_events_append_only")
            conn.execute("DELETE FROM notifications WHERE id > %s", (self.notes,))


def child(now_iso: str) -> None:
    """Runs in a fresh process: one reconciliation, prints seconds, report and peak RSS."""
    from casework.jobs.reconcile import run

    app = _app()
    with app.app_context():
        from casework.extensions import db
        db.session.execute(db.text("SELECT 1"))  # connect before timing
        start = time.perf_counter()
        report = run(datetime.fromisoformat(now_iso))
        seconds = time.perf_counter() - start
    peak = peak_rss_mb()
    print(json.dumps({"seconds": seconds, "report": report, "peak_mb": peak}))


def ours(now: datetime, reset: Reset, results: list) -> float:
    reset()
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_reconcile", "--child", now.isoformat()],
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    results.append(result)
    return result["seconds"]


def bare(now: datetime, reset: Reset) -> float:
    reset()
    with psycopg.connect(PLAIN) as conn:
        start = time.perf_counter()
        for flag, cond in (("overdue = true, overdue_at = due_at", "due_at <= %(now)s AND NOT overdue"),
                           ("escalated_at = %(now)s", "overdue AND escalated_at IS NULL AND escalate_at <= %(now)s")):
            conn.execute(f"""
                WITH changed AS (UPDATE cases SET {flag}, version = version + 1
                                 WHERE state IN {RUNNING} AND {cond} RETURNING id, state)
                INSERT INTO case_events (case_id, event, from_state, to_state, at, data)
                SELECT id, 'bench', state, state, %(now)s, '{{}}' FROM changed""", {"now": now})
        conn.commit()
        conn.execute(f"SELECT id, due_at, overdue, remind_at, reminded_at, escalate_at, escalated_at "
                     f"FROM cases WHERE state IN {RUNNING} AND due_at IS NOT NULL").fetchall()
        return time.perf_counter() - start


def run(repeat: int = 5) -> list[Row]:
    with psycopg.connect(PLAIN) as conn:
        cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    if cases < 1_000_000:
        generate(["--size", "1m", "--database", DATABASE])
    else:
        migrate(f"{SERVER}/{DATABASE}")  # a database from an earlier run gets today's schema
    with psycopg.connect(PLAIN) as conn:
        now = bench_now(conn)
    jobs = fill_redis(now)
    reset = Reset(now)
    results: list = []
    ours_s = median_of(repeat, lambda: ours(now, reset, results))
    bare_s = median_of(repeat, lambda: bare(now, reset))
    # Steady state: the sweep every 3 minutes finds nothing newly due.
    reset()
    ours(now, lambda: None, [])
    steady: list = []
    steady_s = median_of(repeat, lambda: ours(now, lambda: None, steady))
    steady_bare = median_of(repeat, lambda: bare(now, lambda: None))
    reset()
    report = results[-1]["report"]
    note = (f"{len(reset.ids):,} newly overdue, {report['escalated']:,} escalated, "
            f"{jobs:,} jobs checked, {report['rescheduled']} rescheduled")
    peak = max(r["peak_mb"] for r in results)
    return [
        Row("reconciliation, 1M cases / 200k open", ours_s, bare_s, "s", "≤ 3× bare and < 2 s",
            ours_s <= 3 * bare_s and ours_s < 2, note),
        Row("reconciliation, steady state (nothing newly due)", steady_s, steady_bare, "s",
            "≤ 3× bare and < 2 s", steady_s <= 3 * steady_bare and steady_s < 2,
            f"{steady[-1]['report']['overdue']} marked"),
        Row("reconciliation: peak memory of the worker process", peak, None, "MB", "—"),
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
