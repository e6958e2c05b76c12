"""Open-loop load: requests sent at a fixed arrival rate, whatever the server does, with
each latency counted from when the request was due (not when a free client got to send
it), so a stall shows as the queue it builds. A closed loop of N users only restates the
throughput (latency = N / throughput)."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class Result:
    rate: float
    sent: int
    errors: int
    p50: float
    p95: float
    p99: float

    def line(self) -> str:
        return (f"{self.rate:.0f} req/s: p50 {self.p50:.1f} ms, p95 {self.p95:.1f} ms, "
                f"p99 {self.p99:.1f} ms, errors {self.errors}/{self.sent}")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(port: int, path: str, headers: dict[str, str], rate: float, seconds: float,
        senders: int = 48) -> Result:
    """GET `path` `rate` times a second for `seconds` from `senders` keep-alive
    connections; request i is due at start + i / rate."""
    total = int(rate * seconds)
    lock = threading.Lock()
    state = {"next": 0}
    latencies: list[float] = []
    errors = [0]
    start = time.perf_counter() + 0.2

    def sender() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                i = state["next"]
                state["next"] += 1
            if i >= total:
                return
            due = start + i / rate
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = (time.perf_counter() - due) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += 0 if ok else 1

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Result(rate, len(latencies), errors[0], statistics.median(latencies),
                  pct(latencies, 0.95), pct(latencies, 0.99))
