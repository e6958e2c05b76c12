"""The inbox and the case page under 20 concurrent users against gunicorn, on the 1M-case
database, next to a bare Flask "hello" on the same server (the ceiling)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

from .bench_reconcile import DATABASE, PLAIN
from .generate import SERVER, migrate
from .harness import Row, wait_until_serving

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
HERE = Path(__file__).parent


def serve(database_url: str, port: int = PORT, redis_url: str | None = None) -> subprocess.Popen:
    """gunicorn (4 processes × 2 threads) on the real app plus /bench/hello, once it answers."""
    env = {**os.environ, "CASEWORK_ENV": "production", "SECRET_KEY": "bench-secret",
           "SESSION_COOKIE_SECURE": "0", "DATABASE_URL": database_url,
           "REDIS_URL": redis_url or os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/12")}
    server = subprocess.Popen([str(Path(os.sys.executable).parent / "gunicorn"), "--workers", "4",
                               "--threads", "2", "--keep-alive", "75", "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning",
                               "benchmarks.bench_wsgi:app"], env=env, cwd=HERE.parent)
    return wait_until_serving(server, f"http://127.0.0.1:{port}/bench/hello")


def _session_cookie(username: str, base: str = BASE) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "username": username,
                                   "password": "bench-password-1"}).encode()
    opener.open(f"{base}/login", data)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _wrk(url: str, cookie: str | None, seconds: int = 10, strict: bool = True,
         users: int = 20) -> tuple[float, float, float]:
    args = ["wrk", f"-t{min(2, users)}", f"-c{users}", f"-d{seconds}s", "-s", str(HERE / "percentiles.lua"), url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    m = re.search(r"PCTL p50=(\d+) p95=(\d+) rps=([\d.]+) errors=(\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if strict and (int(m.group(4)) or non2xx):
        raise RuntimeError(f"wrk saw errors: {out}")
    return int(m.group(1)) / 1000, int(m.group(2)) / 1000, float(m.group(3))


def run(repeat: int = 3) -> list[Row]:
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is missing: apt-get install wrk")
    migrate(f"{SERVER}/{DATABASE}")  # a database from an earlier run gets today's schema
    with psycopg.connect(PLAIN, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")  # steady state: no dead rows left by other benchmarks
        number = conn.execute("SELECT c.number FROM cases c WHERE c.unit_id = 1 AND c.state = 'returned' "
                              "ORDER BY c.id DESC LIMIT 1").fetchone()[0]
        open_cases = conn.execute("SELECT count(*) FROM cases WHERE unit_id = 1 AND state IN "
                                  "('approving','assigned','returned','suspended')").fetchone()[0]
    server = serve(f"{SERVER}/{DATABASE}")
    try:
        cookie = _session_cookie("u001_cbr")
        targets = {"hello": f"{BASE}/bench/hello", "inbox": f"{BASE}/inbox",
                   "case page": f"{BASE}/cases/{number}"}
        for url in targets.values():
            _wrk(url, cookie, 5, strict=False)  # warm up every worker (cold ones may time out)
        # Interleaved (hello, inbox, case page, hello, …): this VM's speed drifts by a
        # quarter over minutes, and a ceiling measured minutes apart would skew the ratio.
        runs: dict[str, list] = {name: [] for name in targets}
        for _ in range(repeat):
            for name, url in targets.items():
                runs[name].append(_wrk(url, cookie))
        results = {name: sorted(r, key=lambda x: x[2])[len(r) // 2] for name, r in runs.items()}
        # The same pages for 2 users: the latency of one request when the CPUs are not
        # saturated (with 20 closed-loop users, latency is 20 / throughput by Little's law).
        light = {name: _wrk(url, cookie, users=2) for name, url in targets.items()}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)
    hello_rps = results["hello"][2]
    rows = []
    for name in ("inbox", "case page"):
        p50, p95, rps = results[name]
        note = f"20 users, gunicorn 4×2; unit with {open_cases:,} open cases" if name == "inbox" else f"{number}"
        rows.append(Row(f"{name}: p95 latency (p50 {p50:.1f} ms)", p95, results["hello"][1], "ms",
                        "p95 < 50 ms", p95 < 50, note))
        rows.append(Row(f"{name}: throughput", rps, hello_rps, "req/s", "≥ 30% of hello",
                        rps >= 0.3 * hello_rps))
        light_p50, light_p95, _ = light[name]
        rows.append(Row(f"{name}: p95 latency with 2 users (p50 {light_p50:.1f} ms)", light_p95,
                        light["hello"][1], "ms", "— (unsaturated)"))
    return rows
