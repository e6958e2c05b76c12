"""Run the benchmarks and print one table.

    python -m benchmarks.run [--only machine,intake,reconcile,pages,stats] [--repeat 5]

(stats needs `python -m benchmarks.generate --size 10m --database casework_bench10m` first;
knowledge needs `--size 1400000 --open-share 0.05 --published-share 0.95 --database casework_bench_kb`;
case_search needs `--size 1m --database casework_bench_search`.)

Every figure is the median of several runs, next to a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
from datetime import datetime

from .harness import table

BENCHMARKS = ["machine", "intake", "reconcile", "pages", "stats", "import", "public_letters", "calendar",
              "knowledge", "case_search", "public_search"]


def machine_line() -> str:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres") as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return (f"{datetime.now():%Y-%m-%d %H:%M}, {platform.node()}: {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, PostgreSQL {pg}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default=",".join(BENCHMARKS))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rows = []
    for name in args.only.split(","):
        module = importlib.import_module(f"benchmarks.bench_{name.strip()}")
        print(f"running {name} …", flush=True)
        rows += module.run(repeat=args.repeat)
    print()
    print(machine_line())
    print()
    print(table(rows))


if __name__ == "__main__":
    main()
