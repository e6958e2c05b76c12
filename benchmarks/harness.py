"""What every benchmark shares: repeated measurement, medians, the result table."""

from __future__ import annotations

import statistics
import subprocess
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    figure: str
    ours: float
    baseline: float | None
    unit: str
    target: str
    ok: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> str:
        if not self.baseline:
            return "—"
        return f"{self.ours / self.baseline:.2f}"


def median_of(repeat: int, run: Callable[[], float]) -> float:
    """Median of `repeat` calls of `run`, each returning one measurement."""
    return statistics.median(run() for _ in range(repeat))


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by nearest rank of the sorted values."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def record_statements(engine, call: Callable[..., object], *args) -> tuple[object, list[tuple[str, object]]]:
    """What `call(*args)` returns, and the statements (with their parameters) it sends
    through `engine`."""
    import sqlalchemy as sa
    sent: list[tuple[str, object]] = []

    def listen(conn, cursor, statement, params, context, many):
        sent.append((statement, params))

    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        result = call(*args)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
    return result, sent


def replay(conn, statements: list) -> float:
    """The recorded statements through a bare psycopg connection, in one transaction, as
    the app sends them (the search engine's SET LOCAL planner settings hold only inside
    one): the database's own work, as the baseline of the app's."""
    start = time.perf_counter()
    with conn.transaction():
        for statement, params in statements:
            cur = conn.execute(statement, params)
            if cur.description:
                cur.fetchall()
    return time.perf_counter() - start


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit in ("s",):
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "µs":
        return f"{value:.1f} µs"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:,.0f} {unit}"


def table(rows: list[Row]) -> str:
    lines = ["| figure | ours | baseline (same run) | ratio | target | met |",
             "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        met = "—" if r.ok is None else ("yes" if r.ok else "**no**")
        note = f" ({r.note})" if r.note else ""
        lines.append(f"| {r.figure}{note} | {fmt(r.ours, r.unit)} | {fmt(r.baseline, r.unit)} | "
                     f"{r.ratio} | {r.target} | {met} |")
    return "\n".join(lines)


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss: Linux
    carries ru_maxrss across exec, so a child would report its parent's peak."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def wait_until_serving(server: subprocess.Popen, url: str, tries: int = 100) -> subprocess.Popen:
    """`server` once `url` answers (every 0.2 s, `tries` times); killed if it never does."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(url, timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")
