"""The public /letters search on its two possible mechanisms, in the same run on the same
published answers: the CJK bigrams it uses today (casework/text_search.py: a text[] column
in a GIN index, every bigram of the query required, newest first) vs the knowledge base's
search interface (casework/search: jieba terms in search_docs, the best 20 by coverage),
each through its app code with the same filters. On the office-search database: its
published answers get their bigrams once (`public_search` is not written by the generator).

    python -m benchmarks.run --only public_search
"""

from __future__ import annotations

import statistics
import time

import psycopg
import sqlalchemy as sa

from .bench_case_search import PLAIN, _app
from .harness import Row, percentile

QUERIES = [{"q": "停水"}, {"q": "食品安全"}, {"q": "随迁子女 入学"}, {"q": "供暖", "unit": None}, {"q": "加压设备"}]


def _fill_bigrams(conn) -> int:
    from casework.text_search import index_tokens

    missing = conn.execute("SELECT count(*) FROM cases WHERE published_at IS NOT NULL AND public_search IS NULL").fetchone()[0]
    if missing:
        rows = conn.execute("SELECT id, public_subject, public_body, public_reply FROM cases "
                            "WHERE published_at IS NOT NULL AND public_search IS NULL").fetchall()
        with conn.cursor() as cur:
            for i in range(0, len(rows), 5000):
                cur.executemany("UPDATE cases SET public_search = %s WHERE id = %s",
                                [(index_tokens(s, b, r), id_) for id_, s, b, r in rows[i:i + 5000]])
        conn.execute("ANALYZE cases")
    return missing


def _engine_listing(args: dict):
    """What /letters would run on the knowledge base's interface: the public answers of the
    filters, best 20 first."""
    from casework.queries.knowledge import analyzed
    from casework.search import engine

    where, params = [], []
    if args.get("unit"):
        where.append("c.unit_id = (SELECT id FROM units WHERE code = :unit_code)")
        params.append(("unit_code", args["unit"]))
    scope = engine.Scope(kinds=("answer",), join_cases=True, where=tuple(where), params=tuple(params))
    return engine.search(analyzed(args["q"]), scope, limit=20)


def run(repeat: int = 5) -> list[Row]:
    from casework.extensions import db
    from casework.queries import public_letters

    repeat = max(repeat, 20)
    app = _app()
    rows = []
    with psycopg.connect(PLAIN, autocommit=True) as conn:
        filled = _fill_bigrams(conn)
        unit = conn.execute("SELECT u.code FROM cases c JOIN units u ON u.id = c.unit_id WHERE published_at IS NOT NULL "
                            "GROUP BY u.code ORDER BY count(*) LIMIT 1").fetchone()[0]
        published = conn.execute("SELECT count(*) FROM cases WHERE published_at IS NOT NULL").fetchone()[0]
    print(f"  bigrams written for {filled:,} answers; {published:,} published", flush=True)
    with app.app_context():
        conn = db.session.connection()
        conn.execute(sa.text("ANALYZE search_docs"))
        db.session.commit()
        every_bigram, every_engine = [], []
        for args in QUERIES:
            args = {**args, "unit": unit} if "unit" in args else args
            f = public_letters.Filters(q=args["q"], unit=args.get("unit", ""))
            bigram, jieba = [], []
            for _ in range(repeat):
                t = time.perf_counter()
                public_letters.listing(f)
                db.session.rollback()
                bigram.append(time.perf_counter() - t)
                t = time.perf_counter()
                _engine_listing(args)
                db.session.rollback()
                jieba.append(time.perf_counter() - t)
            every_bigram += bigram
            every_engine += jieba
            name = args["q"] + (" + unit (smallest)" if args.get("unit") else "")
            rows.append(Row(f"/letters search {name}: knowledge interface vs bigrams (p50)",
                            statistics.median(jieba) * 1000, statistics.median(bigram) * 1000, "ms", "—", None,
                            f"p95 {percentile(jieba, 95) * 1000:.0f} ms vs {percentile(bigram, 95) * 1000:.0f} ms"))
        db.session.remove()
        db.engine.dispose()
    rows.append(Row(f"/letters search p95, all: knowledge interface vs bigrams ({published:,} published answers)",
                    percentile(every_engine, 95) * 1000, percentile(every_bigram, 95) * 1000, "ms", "≤ bigrams to switch",
                    percentile(every_engine, 95) <= percentile(every_bigram, 95)))
    return rows
