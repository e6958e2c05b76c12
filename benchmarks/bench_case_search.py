"""The office search (查询) on 1,000,000 cases: each search through the app's whole query
(casework/queries/case_search.py: parsing, the unit's restriction, the knowledge base's
analysis with synonyms, the SQL, coverage scoring, loading and highlighting the rows) vs
**the same search's own SQL**: the statements it sends, recorded once (SQLAlchemy cursor
events) and replayed through psycopg, so the baseline is exactly the database's work.
A second baseline for the text searches is the SQL a first version would write without a
full-text index: `subject LIKE '%word%' OR body LIKE '%word%'`, newest first.

    python -m benchmarks.generate --size 1m --database casework_bench_search
    python -m benchmarks.run --only case_search
"""

from __future__ import annotations

import os
import statistics
import time
from types import SimpleNamespace

import psycopg

from .harness import Row, percentile, record_statements, replay

SERVER = os.environ.get("BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_SEARCH_DATABASE", "casework_bench_search")
URL = f"{SERVER}/{DATABASE}"
PLAIN = URL.replace("+psycopg", "")
OFFICE = SimpleNamespace(role="dispatcher", unit_id=None)


def _app():
    from casework import create_app
    return create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": URL,
                       "REDIS_URL": None, "RATELIMIT_ENABLED": False})


def _samples(conn) -> dict:
    """A real number and phone, the biggest and a small unit, a month with letters."""
    number, phone = conn.execute("SELECT number, citizen_phone FROM cases WHERE type = 'letter' "
                                 "AND citizen_phone IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
    units = conn.execute("SELECT u.code, u.id, count(*) FROM cases c JOIN units u ON u.id = c.unit_id "
                         "GROUP BY u.code, u.id ORDER BY count(*) DESC").fetchall()
    month = conn.execute("SELECT to_char(max(received_at) - interval '60 days', 'YYYY-MM') FROM cases").fetchone()[0]
    return {"number": number, "phone": phone, "big": units[0], "small": units[-1], "month": month}


def _queries(s: dict) -> dict[str, tuple]:
    """name -> (actor, filter arguments)."""
    big, small = s["big"], s["small"]
    unit_user = SimpleNamespace(role="unit_handler", unit_id=big[1])
    first, last = f"{s['month']}-01", f"{s['month']}-28"
    return {
        "by number": (OFFICE, {"q": s["number"]}),
        "by phone": (OFFICE, {"q": s["phone"]}),
        "text 停水 (common)": (OFFICE, {"q": "停水"}),
        "text 随迁子女 入学 (two words)": (OFFICE, {"q": "随迁子女 入学"}),
        "text 加压设备 (reply only)": (OFFICE, {"q": "加压设备"}),
        "text 供暖 + unit (small)": (OFFICE, {"q": "供暖", "unit": small[0]}),
        "text 油烟 + state + month": (OFFICE, {"q": "油烟", "state": "closed", "date_from": first, "date_to": last}),
        "unit (biggest), newest first": (OFFICE, {"unit": big[0]}),
        "unit (smallest), newest first": (OFFICE, {"unit": small[0]}),
        "state 退回重办": (OFFICE, {"state": "returned"}),
        "one month": (OFFICE, {"date_from": first, "date_to": last}),
        "unit user: text 停水 in own unit": (unit_user, {"q": "停水"}),
    }


def _recorded(queries: dict) -> dict[str, list]:
    from casework.extensions import db
    from casework.queries import case_search

    recorded: dict[str, list] = {}
    for name, (actor, args) in queries.items():
        result, recorded[name] = record_statements(db.engine, case_search.search, actor,
                                                   case_search.SearchFilter.from_args(args))
        assert result.problem is None, (name, result.problem)
        print(f"  {name}: {len(result.rows)} rows, {len(recorded[name])} statements", flush=True)
    return recorded


LIKE = ("SELECT id, number, subject FROM cases WHERE type = 'letter' AND (subject LIKE %(p)s OR body LIKE %(p)s) "
        "ORDER BY received_at DESC, id DESC LIMIT 50")



def run(repeat: int = 5) -> list[Row]:
    from casework.extensions import db
    from casework.queries import case_search

    repeat = max(repeat, 20)
    app = _app()
    rows: list[Row] = []
    with app.app_context(), psycopg.connect(PLAIN, autocommit=True) as conn:
        conn.execute("ANALYZE")  # after loading: the planner's statistics, and most_common_elems for search
        cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        queries = _queries(_samples(conn))
        recorded = _recorded(queries)
        all_ours, all_bare = [], []
        for name, (actor, args) in queries.items():
            f = case_search.SearchFilter.from_args(args)
            ours, bare = [], []
            for _ in range(repeat):  # interleaved, so load on the machine hits both alike
                t = time.perf_counter()
                case_search.search(actor, f)
                db.session.rollback()
                ours.append(time.perf_counter() - t)
                bare.append(replay(conn, recorded[name]))
            all_ours += ours
            all_bare += bare
            rows.append(Row(f"search: {name}", statistics.median(ours) * 1000, statistics.median(bare) * 1000,
                            "ms", "p50 < 100 ms", statistics.median(ours) < 0.1,
                            f"p95 {percentile(ours, 95) * 1000:.0f} ms vs {percentile(bare, 95) * 1000:.0f} ms"))
        like = []
        for word in ("停水", "加压设备"):
            like.append(min(replay(conn, [(LIKE, {"p": f"%{word}%"})]) for _ in range(3)))
        db.session.remove()
        db.engine.dispose()
    rows.append(Row(f"search, all kinds: p95 over {len(queries)} searches × {repeat} ({cases:,} cases)",
                    percentile(all_ours, 95) * 1000, percentile(all_bare, 95) * 1000, "ms", "p95 < 200 ms",
                    percentile(all_ours, 95) < 0.2))
    rows.append(Row("text search without a full-text index (LIKE on subject/body, newest 50; best of 3)",
                    max(like) * 1000, None, "ms", "—", None, "停水 / 加压设备: "
                    + " / ".join(f"{x * 1000:.0f} ms" for x in like)))
    return rows
