"""One month's and one year's figures for all units on 10,000,000 cases, vs the bare SQL
GROUP BY measured in the same run; ours runs in a child process for its peak memory."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime

import psycopg

from .generate import SERVER, migrate
from .harness import Row, median_of, peak_rss_mb

DATABASE = os.environ.get("BENCH_STATS_DB", "casework_bench10m")
PLAIN = f"{SERVER}/{DATABASE}".replace("+psycopg", "")
BARE = """SELECT unit_id, count(*),
  sum(CASE WHEN state = 'closed' AND close_reason = 'accepted' AND closed_at < %(cutoff)s THEN 1 ELSE 0 END),
  sum(CASE WHEN state = 'closed' AND close_reason = 'accepted' AND closed_at < %(cutoff)s AND on_time THEN 1 ELSE 0 END),
  sum(CASE WHEN overdue THEN 1 ELSE 0 END), sum(CASE WHEN return_count > 0 THEN 1 ELSE 0 END),
  sum(CASE WHEN r.grade IS NOT NULL THEN 1 ELSE 0 END),
  sum(CASE WHEN state = 'closed' AND close_reason = 'accepted' AND closed_at < %(cutoff)s THEN handling_days END)
FROM cases LEFT JOIN case_ratings r ON r.case_id = cases.id WHERE type = 'letter' AND received_at >= %(start)s AND received_at < %(end)s
  AND (close_reason IS NULL OR close_reason NOT IN ('dismissed', 'merged'))
GROUP BY unit_id"""


def periods(conn) -> dict[str, tuple[datetime, datetime]]:
    last = conn.execute("SELECT max(received_at) FROM cases").fetchone()[0]
    year = last.year - 1
    return {"month": (datetime(year, 10, 1, tzinfo=UTC), datetime(year, 11, 1, tzinfo=UTC)),
            "year": (datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC))}


def child(start: str, end: str) -> None:
    from casework import create_app, stats

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"{SERVER}/{DATABASE}"})
    with app.app_context():
        period = stats.Period(datetime.fromisoformat(start), datetime.fromisoformat(end), datetime.now(UTC))
        # Figures are computed by a long-running worker or web process: time a warm one
        # (imports, compiled statements), as the bare query runs in a warm client.
        began = time.perf_counter()
        stats.by_unit(period)
        cold = time.perf_counter() - began
        began = time.perf_counter()
        table = stats.by_unit(period)
        seconds = time.perf_counter() - began
    print(json.dumps({"seconds": seconds, "cold": cold, "units": len(table), "received": int(table["received"].sum()),
                      "peak_mb": peak_rss_mb()}))


def ours(start, end, results: list) -> float:
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_stats", "--child", start.isoformat(),
                          end.isoformat()], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    results.append(result)
    return result["seconds"]


def bare(start, end) -> float:
    with psycopg.connect(PLAIN) as conn:
        began = time.perf_counter()
        conn.execute(BARE, {"start": start, "end": end, "cutoff": datetime.now(UTC)}).fetchall()
        return time.perf_counter() - began


def run(repeat: int = 3) -> list[Row]:
    migrate(f"{SERVER}/{DATABASE}")
    with psycopg.connect(PLAIN, autocommit=True) as conn:
        cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        conn.execute("VACUUM ANALYZE cases")
        spans = periods(conn)
    rows = []
    for name, (start, end) in spans.items():
        results: list = []
        mine = median_of(repeat, lambda s=start, e=end, r=results: ours(s, e, r))
        base = median_of(repeat, lambda s=start, e=end: bare(s, e))
        target = "≤ 1.5× bare" + (" and < 3 s" if name == "year" else "")
        ok = mine <= 1.5 * base and (name != "year" or mine < 3)
        cold = statistics.median(r["cold"] for r in results)
        rows.append(Row(f"stats: one {name}, all units ({cases:,} cases; {results[-1]['received']:,} letters)",
                        mine, base, "s", target, ok, f"first call in a new process {cold:.3f} s"))
        rows.append(Row(f"stats: one {name}, peak memory", max(r["peak_mb"] for r in results), None, "MB", "—"))
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
