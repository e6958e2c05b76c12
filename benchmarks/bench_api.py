"""The API against the peer: casework (gunicorn 4 × 4, production mode) next to Request
Tracker 5.0.3 (Debian's package, Starlet, 10 workers; benchmarks/peer_rt.sh sets it up),
driven the same way, interleaved, with a bare Flask endpoint on the same gunicorn as the
in-run ceiling.

    benchmarks/peer_rt.sh install && benchmarks/peer_rt.sh setup && benchmarks/peer_rt.sh start
    python -m benchmarks.generate --size 10k --database casework_bench_api
    python -m benchmarks.bench_api [--rounds 3] [--seconds 4]

Figures: create at 1 and 8 clients (items/s), get one (p50), list 50 open (p50; RT with
ids only and with fields), two state changes (assign, then reply) at 1 and 8 clients
(items/s), and PSS per web worker after the mixed load (/proc/<pid>/smaps_rollup), with
the whole web tier's (the master and every worker) beside it: a casework worker serves as
many requests at once as it has threads, an RT worker one.
Each round runs every figure on both systems back to back; the table gives the median
of the rounds and the load average around each.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import signal
import statistics
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from .generate import SERVER, migrate
from .harness import wait_until_serving

HERE = Path(__file__).parent
DATABASE = os.environ.get("BENCH_API_DB", "casework_bench_api")
PORT, RT_PORT = 8790, int(os.environ.get("RT_PORT", "8791"))
UNIT = "u001"
RT_PIDFILE = "/tmp/rt_bench_starlet.pid"
RT_WORKERS = int(os.environ.get("RT_WORKERS", "10"))  # as benchmarks/peer_rt.sh starts it


class Client:
    """One keep-alive connection with fixed headers (a client of the benchmark)."""

    def __init__(self, port: int, headers: dict[str, str]):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = headers

    def call(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
        data = None if body is None else json.dumps(body).encode()
        hdrs = {**self.headers, **(headers or {})}
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        self.conn.request(method, path, data, hdrs)
        resp = self.conn.getresponse()
        return resp.status, resp.read()

    def ok(self, method: str, path: str, body=None, headers=None) -> dict | list:
        status, raw = self.call(method, path, body, headers)
        if status >= 300:
            raise RuntimeError(f"{method} {path}: {status} {raw[:300]!r}")
        return json.loads(raw) if raw else {}


class Casework:
    name = "casework"

    def __init__(self, tokens: dict[str, str]):
        self.tokens = tokens

    def client(self, who: str = "dispatcher") -> Client:
        return Client(PORT, {"Authorization": f"Bearer {self.tokens[who]}"})

    def create(self, c: Client, i: int) -> str:
        return c.ok("POST", "/api/v1/cases", {
            "type": "letter", "channel": "web", "subject": f"城关镇自来水频繁停水 {i}",
            "body": "近一个月停水四次，影响生活。", "citizen_name": "王先生",
            "citizen_phone": "13909150001"})["number"]

    def get(self, c: Client, ref: str) -> None:
        c.ok("GET", f"/api/v1/cases/{ref}")

    def list(self, c: Client, with_fields: bool) -> None:
        c.ok("GET", "/api/v1/cases?state=assigned&per_page=50")

    def changes(self, clients: tuple[Client, Client], ref: str) -> None:
        dispatcher, handler = clients
        dispatcher.ok("POST", f"/api/v1/cases/{ref}/events/assign", {"unit_code": UNIT})
        handler.ok("POST", f"/api/v1/cases/{ref}/events/reply", {"body": "已联系供水公司，管网已修复。"})

    def pair(self) -> tuple[Client, Client]:
        return self.client("dispatcher"), self.client("handler")

    def workers(self) -> list[int]:
        return _children(self.master)


class RequestTracker:
    name = "RT"
    HEADERS = {"Referer": f"http://127.0.0.1:{RT_PORT}/"}  # REST2 refuses a cookie without it

    def __init__(self):
        data = urllib.parse.urlencode({"user": "bench", "pass": "bench1234"}).encode()
        conn = http.client.HTTPConnection("127.0.0.1", RT_PORT, timeout=60)
        conn.request("POST", "/NoAuth/Login.html", data, {"Content-Type": "application/x-www-form-urlencoded"})
        resp = conn.getresponse()
        resp.read()
        cookie = resp.getheader("Set-Cookie")
        if not cookie:
            raise RuntimeError("RT login failed (is benchmarks/peer_rt.sh setup done?)")
        self.cookie = cookie.split(";")[0]

    def client(self, who: str = "bench") -> Client:
        return Client(RT_PORT, {**self.HEADERS, "Cookie": self.cookie})

    def create(self, c: Client, i: int) -> str:
        return c.ok("POST", "/REST/2.0/ticket", {"Queue": "General", "Subject": f"City water cut {i}",
                                                  "Content": "Four cuts in a month.", "ContentType": "text/plain"})["id"]

    def get(self, c: Client, ref: str) -> None:
        c.ok("GET", f"/REST/2.0/ticket/{ref}")

    def list(self, c: Client, with_fields: bool) -> None:
        query = urllib.parse.quote("Status='new' OR Status='open'")
        fields = "&fields=Subject,Status,Owner,Queue,Created,Due" if with_fields else ""
        c.ok("GET", f"/REST/2.0/tickets?query={query}&per_page=50{fields}")

    def changes(self, clients: tuple[Client, Client], ref: str) -> None:
        c = clients[0]
        c.ok("PUT", f"/REST/2.0/ticket/{ref}", {"Owner": "handler"})
        c.ok("POST", f"/REST/2.0/ticket/{ref}/correspond", {"Content": "Fixed the main.", "ContentType": "text/plain"})

    def pair(self) -> tuple[Client, Client]:
        return self.client(), self.client()

    @property
    def master(self) -> int:
        return int(Path(RT_PIDFILE).read_text())

    def workers(self) -> list[int]:
        return _children(self.master)


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def pss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no Pss for {pid}")


def load() -> float:
    return os.getloadavg()[0]


def throughput(clients: int, seconds: float, make: Callable[[], object],
               step: Callable[[object, int], None]) -> float:
    """Items per second with `clients` closed-loop clients for `seconds`."""
    done, stop = [0] * clients, time.perf_counter() + seconds
    errors: list[BaseException] = []

    def run(k: int) -> None:
        c = make()
        i = 0
        try:
            while time.perf_counter() < stop:
                step(c, k * 1_000_000 + i)
                i += 1
                done[k] += 1
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    start = time.perf_counter()
    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return sum(done) / (time.perf_counter() - start)


def p50_ms(n: int, once: Callable[[], None]) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        once()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def serve(preload: bool = True, database: str = DATABASE, workers: int = 4, threads: int = 4) -> subprocess.Popen:
    env = {**os.environ, "CASEWORK_ENV": "production", "SECRET_KEY": "bench-secret",
           "SESSION_COOKIE_SECURE": "0", "DATABASE_URL": f"{SERVER}/{database}",
           "REDIS_URL": os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")}
    # As deployed (deploy/casework-web.service and its gunicorn.conf.py), on the benchmark's port.
    log = open("/tmp/bench_api_gunicorn.log", "w")  # noqa: SIM115 - the server's, while it runs
    config = ["--config", str(HERE.parent / "deploy" / "gunicorn.conf.py")] if preload else []
    server = subprocess.Popen([str(Path(os.sys.executable).parent / "gunicorn"), *config,
                               "--workers", str(workers), "--threads", str(threads), "--keep-alive", "75",
                               "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning",
                               "--access-logfile", "/dev/null", "benchmarks.bench_wsgi:app"],
                              env=env, cwd=HERE.parent, stderr=log)
    # The master loads jieba before forking: slow on a busy machine.
    return wait_until_serving(server, f"http://127.0.0.1:{PORT}/bench/hello", tries=600)


def issue_tokens() -> dict[str, str]:
    from casework import create_app
    from casework.extensions import db
    from casework.permissions import SYSTEM_ACTOR
    from casework.services import tokens

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"{SERVER}/{DATABASE}"})
    with app.app_context():
        out = {"dispatcher": tokens.issue(SYSTEM_ACTOR, "dispatcher"),
               "handler": tokens.issue(SYSTEM_ACTOR, f"{UNIT}_cbr")}
        db.engine.dispose()
    return out


def one_round(systems, seconds: float, pools: dict[str, list[str]]) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    hello = Client(PORT, {})
    out[("hello", "get p50")] = p50_ms(60, lambda: hello.call("GET", "/bench/hello"))
    for s in systems:
        pool = pools[s.name]

        def create(c, i, s=s, pool=pool):
            pool.append(s.create(c, i))
        out[(s.name, "create 1")] = throughput(1, seconds, s.client, create)
        out[(s.name, "create 8")] = throughput(8, seconds, s.client, create)
    for s in systems:
        c, pool = s.client(), pools[s.name]
        refs = itertools.cycle(pool[-60:])
        out[(s.name, "get p50")] = p50_ms(60, lambda c=c, refs=refs, s=s: s.get(c, next(refs)))
        out[(s.name, "list p50")] = p50_ms(30, lambda c=c, s=s: s.list(c, False))
        if s.name == "RT":
            out[(s.name, "list fields p50")] = p50_ms(30, lambda c=c, s=s: s.list(c, True))
    for s in systems:
        pool = pools[s.name]
        lock = threading.Lock()

        def change(pair, i, s=s, pool=pool, lock=lock):
            with lock:
                ref = pool.pop()
            s.changes(pair, ref)
        for n in (1, 8):
            _top_up(s, pool, need=int(40 * seconds) if s.name == "RT" else int(200 * seconds))
            out[(s.name, f"changes {n}")] = throughput(n, seconds, s.pair, change)
    return out


def _top_up(system, pool: list[str], need: int) -> None:
    """Enough untouched items for a timed state-change run (RT creates only a few a second)."""
    missing = need - len(pool)
    if missing <= 0:
        return
    lock = threading.Lock()

    def worker():
        c = system.client()
        while True:
            with lock:
                if len(pool) >= need:
                    return
                pool.append(None)
                slot = len(pool) - 1
            pool[slot] = system.create(c, slot)
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--no-rt", action="store_true", help="casework alone (no ratios)")
    parser.add_argument("--no-preload", action="store_true", help="without deploy/gunicorn.conf.py (the before)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (as deployed: 4)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (as deployed: 4)")
    args = parser.parse_args(argv)
    migrate(f"{SERVER}/{DATABASE}")
    import psycopg
    with psycopg.connect(f"{SERVER}/{DATABASE}".replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    cw = Casework(issue_tokens())
    server = serve(not args.no_preload, workers=args.workers, threads=args.threads)
    cw.master = server.pid
    try:
        systems = [cw] if args.no_rt else [cw, RequestTracker()]
        pools: dict[str, list[str]] = {s.name: [] for s in systems}
        one_round(systems, 1.0, pools)  # warm every worker of both
        rounds, loads = [], []
        for r in range(args.rounds):
            before = load()
            rounds.append(one_round(systems, args.seconds, pools))
            loads.append((before, load()))
            print(f"round {r + 1}: load {before:.2f} → {loads[-1][1]:.2f}", flush=True)
        pss = {s.name: statistics.median(pss_mb(p) for p in s.workers()) for s in systems}
        tiers = {s.name: sum(pss_mb(p) for p in [s.master, *s.workers()]) for s in systems}
    finally:
        server.send_signal(signal.SIGINT)  # quick shutdown: keep-alive clients would hold a graceful one
        server.wait(30)
    print(report(rounds, loads, pss, [s.name for s in systems], tiers, f"{args.workers} × {args.threads} threads"))


def report(rounds, loads, pss, names, tiers, shape: str) -> str:
    med = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    rt = "RT" in names

    def ratio(k: str, lower_better: bool = False) -> str:
        if not rt:
            return "—"
        per_round = [r[("casework", k)] / r[("RT", k)] for r in rounds]
        return f"{statistics.median(per_round):.2f}" + ("" if lower_better else "×")

    lines = ["load average (1 min) per round: " + ", ".join(f"{a:.2f}→{b:.2f}" for a, b in loads),
             f"hello p50 (same gunicorn): {med[('hello', 'get p50')]:.2f} ms", "",
             "| figure | casework | RT | ratio (median of per-round ratios) | goal |",
             "| --- | --- | --- | --- | --- |"]
    rows = [("create, 1 client: items/s", "create 1", "{:.1f}", False, "≥ 20×"),
            ("create, 8 clients: items/s", "create 8", "{:.1f}", False, "—"),
            ("get one by id: p50", "get p50", "{:.1f} ms", True, "≤ 0.2"),
            ("list 50 open: p50", "list p50", "{:.1f} ms", True, "≤ 0.2"),
            ("two state changes, 1 client: items/s", "changes 1", "{:.1f}", False, "≥ 10×"),
            ("two state changes, 8 clients: items/s", "changes 8", "{:.1f}", False, "≥ 10×")]
    for label, key, f, lower, goal in rows:
        theirs = f.format(med[("RT", key)]) if rt else "—"
        if key == "list p50" and rt:
            theirs += f" (ids) / {med[('RT', 'list fields p50')]:.1f} ms (fields)"
            per = [r[("casework", key)] / r[("RT", "list fields p50")] for r in rounds]
            lines.append(f"| {label} | {f.format(med[('casework', key)])} | {theirs} | {ratio(key, True)} / "
                         f"{statistics.median(per):.2f} | {goal} |")
            continue
        lines.append(f"| {label} | {f.format(med[('casework', key)])} | {theirs} | {ratio(key, lower)} | {goal} |")
    theirs = f"{pss['RT']:.0f} MB" if rt else "—"
    r = f"{pss['casework'] / pss['RT']:.2f}" if rt else "—"
    lines.append(f"| PSS per web worker (median) | {pss['casework']:.0f} MB | {theirs} | {r} | ≤ 0.5 |")
    theirs = f"{tiers['RT']:.0f} MB ({RT_WORKERS} workers)" if rt else "—"
    r = f"{tiers['casework'] / tiers['RT']:.2f}" if rt else "—"
    lines.append(f"| PSS of the web tier, master and workers | {tiers['casework']:.0f} MB ({shape}) | {theirs} "
                 f"| {r} | — |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
