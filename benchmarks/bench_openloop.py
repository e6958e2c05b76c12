"""Staff pages at a fixed arrival rate (open loop, benchmarks/loadgen.py) on the
1,000,000-case database: the inbox of the biggest unit, a case page, the review queue
and the 督办 page, each at 50, 100 and 150 requests/s, against gunicorn as deployed
(4 × 4, deploy/gunicorn.conf.py), with p50/p95/p99 and errors, and the machine's load.

    python -m benchmarks.generate --size 1m          # once (casework_bench)
    python -m benchmarks.bench_openloop [--seconds 20] [--rates 50,100,150]
"""

from __future__ import annotations

import argparse
import os
import signal

import psycopg

from . import loadgen
from .bench_api import serve
from .bench_pages import _session_cookie
from .bench_reconcile import DATABASE, PLAIN
from .generate import SERVER, migrate

PORT = 8790
BASE = f"http://127.0.0.1:{PORT}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rates", default="50,100,150")
    parser.add_argument("--pages", default="inbox,case page,review queue,督办",
                        help="which pages, by name (a page that saturates poisons the ones after it)")
    args = parser.parse_args(argv)
    migrate(f"{SERVER}/{DATABASE}")
    with psycopg.connect(PLAIN, autocommit=True) as conn:
        conn.execute("ANALYZE")
        number = conn.execute("SELECT number FROM cases WHERE unit_id = 1 AND state = 'returned' "
                              "ORDER BY id DESC LIMIT 1").fetchone()[0]
    server = serve(database=DATABASE)
    try:
        unit = {"Cookie": _session_cookie("u001_cbr", BASE)}
        office = {"Cookie": _session_cookie("reviewer", BASE)}
        pages = {"inbox": ("/inbox", unit), "case page": (f"/cases/{number}", unit),
                 "review queue": ("/review", office), "督办": ("/overview", office)}
        pages = {name: pages[name] for name in args.pages.split(",")}
        for path, headers in pages.values():
            loadgen.run(PORT, path, headers, 20, 2)  # warm every worker
        rates = [float(r) for r in args.rates.split(",")]
        print("| page | rate | p50 | p95 | p99 | errors | load (1 min) |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for rate in rates:  # all pages at one rate, then the next: interleaved
            for name, (path, headers) in pages.items():
                r = loadgen.run(PORT, path, headers, rate, args.seconds)
                print(f"| {name} | {rate:.0f}/s | {r.p50:.1f} ms | {r.p95:.1f} ms | {r.p99:.1f} ms | "
                      f"{r.errors}/{r.sent} | {os.getloadavg()[0]:.2f} |", flush=True)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)


if __name__ == "__main__":
    main()
