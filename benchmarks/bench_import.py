"""Bulk import of findings through the real import path (parse with pandas, match, preview,
one all-or-nothing transaction creating each case, its audit events and its finding) vs
COPY of the same rows into cases and findings, measured in the same run."""

from __future__ import annotations

import io
import os
import random
import time
from datetime import UTC, date, datetime

import psycopg

from .generate import SERVER, migrate, recreate
from .harness import Row

DATABASE = "casework_bench_import"
PLAIN = f"{SERVER}/{DATABASE}".replace("+psycopg", "")
N = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
SITES = 1000
PROBLEMS = ["{}个栏目更新不及时", "{}个空栏目", "{}个错链接", "未提供领导照片、简历等信息", "缺少本单位政府信息公开年报"]


def _registry() -> None:
    with psycopg.connect(PLAIN) as conn, conn.cursor() as cur:
        now = datetime.now(UTC)
        cur.executemany("INSERT INTO units (id, code, name, kind, active, requires_leader_approval, notify_digest,"
                        " created_at) VALUES (%s, %s, %s, 'department', true, false, false, %s)",
                        [(i, f"u{i:03d}", f"安康市测试单位{i:03d}", now) for i in range(1, 121)])
        cur.executemany("INSERT INTO websites (name, address, site_code, unit_id, status, created_at)"
                        " VALUES (%s, %s, %s, %s, 'open', %s)",
                        [(f"测试网站{i:04d}", f"s{i:04d}.example.gov.cn", f"61090{i:05d}", i % 120 + 1, now)
                         for i in range(1, SITES + 1)])
        cur.execute("SELECT setval('units_id_seq', 120)")


def _table(n: int) -> bytes:
    rng = random.Random(42)
    lines = ["序号,网站名称,网址,网站标识码,主要问题,复查结果"]
    for i in range(1, n + 1):
        site = rng.randint(1, SITES)
        items = "；".join(rng.choice(PROBLEMS).format(rng.randint(1, 9)) for _ in range(rng.randint(1, 3)))
        lines.append(f"{i},测试网站{site:04d},s{site:04d}.example.gov.cn,61090{site:05d},{items},存在问题")
    return "\n".join(lines).encode()


def _ours(content: bytes) -> float:
    from casework import create_app
    from casework.permissions import SYSTEM_ACTOR
    from casework.services import inspections

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"{SERVER}/{DATABASE}",
                      "REDIS_URL": os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/11")})
    with app.app_context():
        start = time.perf_counter()
        _, count = inspections.commit(SYSTEM_ACTOR, content, "findings.csv", f"bench {time.time()}",
                                      date(2030, 3, 9))
        return time.perf_counter() - start


def _copy(n: int) -> float:
    """The same number of cases and findings, straight in with COPY."""
    now = datetime.now(UTC).isoformat()
    cases = io.StringIO()
    for i in range(n):
        cases.write(f"ZG-2099-{i:06d}\tfinding\tinspection\t测试网站：栏目更新不及时\t3个栏目更新不及时\tassigned\t"
                    f"{i % 120 + 1}\t{now}\t{now}\tf\tf\t0\t{now}\t{now}\t2\n")
    with psycopg.connect(PLAIN) as conn, conn.cursor() as cur:
        start = time.perf_counter()
        with cur.copy("COPY cases (number, type, channel, subject, body, state, unit_id, received_at, assigned_at,"
                      " due_provisional, overdue, return_count, created_at, updated_at, version) FROM STDIN") as cp:
            cp.write(cases.getvalue())
        cur.execute("SELECT id FROM cases WHERE number LIKE 'ZG-2099-%' ORDER BY id")
        ids = [r[0] for r in cur.fetchall()]
        findings = io.StringIO("".join(f"{cid}\t1\t[\"3个栏目更新不及时\"]\tstale_columns\n" for cid in ids))
        cur.execute("INSERT INTO inspection_rounds (id, name, rectify_by, created_at) VALUES (1, 'copy', '2030-03-09', now())"
                    " ON CONFLICT DO NOTHING")
        with cur.copy("COPY findings (case_id, round_id, items, category) FROM STDIN") as cp:
            cp.write(findings.getvalue())
        conn.commit()
        return time.perf_counter() - start


def run(repeat: int = 1) -> list[Row]:
    recreate(DATABASE)
    migrate(f"{SERVER}/{DATABASE}")
    _registry()
    from casework import create_app
    from casework.services import inspections
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"{SERVER}/{DATABASE}"})
    with app.app_context():
        inspections.ensure_categories()
    content = _table(N)
    ours = _ours(content)
    copied = _copy(N)
    return [Row(f"import {N:,} findings (parse, match, cases, events, findings; one transaction)",
                N / ours, N / copied, "rows/s", "report both", None,
                f"ours {ours:.1f} s, COPY {copied:.1f} s")]
