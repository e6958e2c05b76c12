"""Connection resets on reused keep-alive connections, as a reverse proxy sees them.

A proxy (the office's TLS proxy) keeps a pool of connections to gunicorn and reuses idle
ones. gunicorn's default keep-alive (2 s) closes an idle connection while the proxy may be
sending the next request on it: that request dies with ECONNRESET (a 502 for the user).
This drives gunicorn (gthread, as in deploy/) at a fixed arrival rate (open loop) through a
pool of persistent connections whose idle times straddle 2 s, without retrying, once with
the old keep-alive and once with the production setting, in the same run.

    .venv/bin/python -m benchmarks.bench_keepalive [--seconds 30] [--rate 40] [--connections 60]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESETS = (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected, http.client.BadStatusLine)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(keep_alive: int, port: int, tmp: str) -> subprocess.Popen:
    env = os.environ | {"CASEWORK_ENV": "production", "SECRET_KEY": "bench" * 8, "SESSION_COOKIE_SECURE": "0",
                        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "TRUSTED_PROXIES": "1"}
    env.pop("REDIS_URL", None)
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--threads", "4",
                               "--keep-alive", str(keep_alive), "--bind", f"127.0.0.1:{port}", "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):  # the port opens before the workers have imported the app
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                time.sleep(2)  # both workers up
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("gunicorn did not start")


class Pool:
    """Persistent connections, each reused after a random idle time (as a proxy's are)."""

    def __init__(self, port: int, size: int):
        self.port, self.lock = port, threading.Lock()
        self.free = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(size)]

    def take(self) -> http.client.HTTPConnection:
        while True:
            with self.lock:
                if self.free:
                    return self.free.pop(random.randrange(len(self.free)))
            time.sleep(0.001)

    def give(self, conn) -> None:
        with self.lock:
            self.free.append(conn)


def _one(pool: Pool, results: list) -> None:
    conn = pool.take()
    started = time.perf_counter()
    try:
        conn.request("GET", "/healthz", headers={"X-Forwarded-For": "203.0.113.7"})
        response = conn.getresponse()
        response.read()
        results.append(("ok" if response.status == 200 else f"http {response.status}", time.perf_counter() - started))
        if response.will_close:
            conn.close()
    except RESETS:
        results.append(("reset", time.perf_counter() - started))
        conn.close()  # the proxy opens a new connection next time
    except OSError as exc:
        results.append((type(exc).__name__, time.perf_counter() - started))
        conn.close()
    finally:
        pool.give(conn)


def measure(keep_alive: int, seconds: float, rate: float, connections: int) -> dict:
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = _serve(keep_alive, port, tmp)
        pool, results = Pool(port, connections), []
        try:
            for conn in list(pool.free):  # open every connection once, as a warm proxy has
                conn.request("GET", "/healthz")
                conn.getresponse().read()
            with ThreadPoolExecutor(max_workers=connections) as executor:
                start, n = time.perf_counter(), int(seconds * rate)
                for i in range(n):  # open loop: arrivals at a fixed rate, whatever the latency
                    delay = start + i / rate - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
                    executor.submit(_one, pool, results)
            for conn in pool.free:
                conn.close()
        finally:
            server.terminate()
            try:
                server.wait(35)  # gunicorn's graceful stop
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    latencies = sorted(t for status, t in results if status == "ok")
    return {"keep_alive": keep_alive, "requests": len(results),
            "resets": sum(1 for s, _ in results if s == "reset"),
            "other_errors": sum(1 for s, _ in results if s not in ("ok", "reset")),
            "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else None,
            "p99_ms": 1000 * latencies[int(len(latencies) * 0.99)] if latencies else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rate", type=float, default=40)
    parser.add_argument("--connections", type=int, default=60)
    args = parser.parse_args()
    print(f"{args.rate:g} req/s for {args.seconds:g} s over {args.connections} reused connections "
          f"(mean idle {args.connections / args.rate:.1f} s), gunicorn gthread 2x4, no retries")
    print(f"{'keep-alive':>10} {'requests':>9} {'resets':>7} {'other':>6} {'p50 ms':>7} {'p99 ms':>7}")
    for keep_alive in (2, 75):  # gunicorn's default (the baseline), the production setting
        r = measure(keep_alive, args.seconds, args.rate, args.connections)
        print(f"{r['keep_alive']:>9}s {r['requests']:>9} {r['resets']:>7} {r['other_errors']:>6} "
              f"{r['p50_ms']:>7.1f} {r['p99_ms']:>7.1f}")


if __name__ == "__main__":
    main()
