"""Knowledge base search: recall on the evaluation set, and latency over a million
published answers against the bare full-text SQL.

- Recall: the entries of benchmarks/data/knowledge_eval.json are published through the
  service (with the starter synonym list) into a fresh SQLite file and a fresh PostgreSQL
  database; each citizen wording is searched (entries only) and the rank of its entry
  counted: recall@1, recall@3.
- Latency (PostgreSQL, `python -m benchmarks.generate --size 1400000 --open-share 0.05
  --published-share 0.95 --database casework_bench_kb` first: ~1,020,000 published answers,
  ~1,190,000 indexed letters): the same entries are added, then ANALYZE; each wording is
  searched through the app's search (analysis with synonyms, the ranked SQL, coverage
  scoring, loading the texts, highlighting) and, interleaved, as the bare full-text SQL
  (`WHERE vector @@ q ORDER BY ts_rank_cd(vector, q) DESC LIMIT 10` with the same tsquery,
  already built). One client, one query at a time; p50/p95 over every run.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from .harness import Row, percentile, record_statements, replay

EVAL = Path(__file__).parent / "data" / "knowledge_eval.json"
SERVER = os.environ.get("BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_KB_DATABASE", "casework_bench_kb")
BARE_PG = ("SELECT id FROM search_docs, to_tsquery('simple', %(q)s) query WHERE vector @@ query AND public "
           "ORDER BY ts_rank_cd(vector, query) DESC LIMIT 10")


def pairs() -> tuple[list[dict], list[tuple[int, str]]]:
    entries = json.loads(EVAL.read_text(encoding="utf-8"))["entries"]
    return entries, [(e["id"], w) for e in entries for w in e["citizen"]]


def _app(url: str):
    from casework import create_app
    return create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                       "REDIS_URL": None, "RATELIMIT_ENABLED": False})


def load_entries(entries: list[dict]) -> dict[int, int]:
    """Publish the evaluation entries (once); eval id -> entry id."""
    from casework.extensions import db
    from casework.models import KnowledgeEntry
    from casework.permissions import SYSTEM_ACTOR
    from casework.services import knowledge, policy

    policy.ensure_defaults()
    existing = dict(db.session.execute(sa.select(KnowledgeEntry.question, KnowledgeEntry.id)).all())
    out = {}
    for e in entries:
        if e["question"] not in existing:
            existing[e["question"]] = knowledge.create(SYSTEM_ACTOR, {k: e[k] for k in ("question", "answer", "category")},
                                                       publish=True).id
        out[e["id"]] = existing[e["question"]]
    return out


def ranks(ids: dict[int, int], wordings, scope) -> list[tuple[int, str, int | None]]:
    from casework.queries import knowledge as kb
    out = []
    for eval_id, wording in wordings:
        found = [r.id for r in kb.search(wording, limit=10, scope=scope) if r.kind == "entry"]
        out.append((eval_id, wording, found.index(ids[eval_id]) + 1 if ids[eval_id] in found else None))
    return out


def recall(backend: str, verbose: bool = False) -> tuple[float, float, int]:
    from casework.extensions import db
    from casework.search import engine

    entries, wordings = pairs()
    if backend == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp()}/eval.sqlite3"
        app = _app(url)
        with app.app_context():
            db.create_all()
    else:
        from .generate import migrate, recreate
        recreate("casework_kb_eval")
        url = f"{SERVER}/casework_kb_eval"
        migrate(url)
        app = _app(url)
    with app.app_context():
        ids = load_entries(entries)
        result = ranks(ids, wordings, engine.ENTRIES)
        db.session.remove()
        db.engine.dispose()
    if verbose:
        for eval_id, wording, rank in result:
            if rank != 1:
                print(f"  {backend}: #{eval_id} rank {rank}: {wording}")
    n = len(result)
    return (sum(r == 1 for *_, r in result) / n, sum(r is not None and r <= 3 for *_, r in result) / n, n)



def latency(repeat: int, naive_sample: int = 12) -> dict:
    import psycopg

    from casework.extensions import db
    from casework.models import SearchDoc
    from casework.queries import knowledge as kb
    from casework.search import engine
    from casework.search import query as q

    entries, wordings = pairs()
    app = _app(f"{SERVER}/{DATABASE}")
    with app.app_context(), psycopg.connect(f"{SERVER}/{DATABASE}".replace("+psycopg", ""), autocommit=True) as conn:
        ids = load_entries(entries)
        db.session.commit()
        conn.execute("ANALYZE search_docs")
        answers = db.session.scalar(sa.select(sa.func.count(SearchDoc.id)).where(sa.text("kind = 'answer' AND public")))
        letters = db.session.scalar(sa.select(sa.func.count(SearchDoc.id)).where(sa.text("kind = 'letter'")))
        texts = [w for _, w in wordings]
        common = engine.common_words("postgresql")
        first = {w: q.tsquery(kb.analyzed(w), common) for w in texts}
        for w in texts:  # warm the caches: the page of a warm server
            kb.search(w)
            conn.execute(BARE_PG, {"q": first[w]}).fetchall()
        db.session.rollback()
        sent = {w: record_statements(db.engine, kb.search, w)[1] for w in texts}
        db.session.rollback()
        ours, own_sql, base = [], [], []
        for _ in range(repeat):  # interleaved, so load on the machine hits all alike
            for w in texts:
                t = time.perf_counter()
                kb.search(w, limit=10)
                db.session.rollback()
                ours.append(time.perf_counter() - t)
                own_sql.append(replay(conn, sent[w]))
                base.append(replay(conn, [(BARE_PG, {"q": first[w]})]))
        # What a first version would send: one ranked statement with every word of the
        # same analysis (synonyms included). Seconds each: a sample, once.
        naive = []
        for w in texts[:naive_sample]:
            every = q.match_queries(kb.analyzed(w), "postgresql")[-1][0]
            naive.append(replay(conn, [(BARE_PG, {"q": every})]))
        mixed = ranks(ids, wordings, engine.PUBLIC)
        db.session.remove()
        db.engine.dispose()
    return {"answers": answers, "letters": letters, "ours": ours, "own_sql": own_sql, "base": base,
            "naive": naive, "queries": len(texts), "statements": statistics.mean(len(v) for v in sent.values()),
            "mixed3": sum(r is not None and r <= 3 for *_, r in mixed) / len(mixed)}


def run(repeat: int = 5) -> list[Row]:
    rows = []
    for backend in ("sqlite", "postgresql"):
        r1, r3, n = recall(backend, verbose=True)
        rows.append(Row(f"knowledge recall@1, {backend} ({n} citizen wordings, 66 entries)", r1 * 100, None, "%",
                        "≥ 70%", r1 >= 0.7))
        rows.append(Row(f"knowledge recall@3, {backend}", r3 * 100, None, "%", "≥ 90%", r3 >= 0.9))
    lat = latency(max(repeat, 3))
    ours, own, base, naive = lat["ours"], lat["own_sql"], lat["base"], lat["naive"]
    note = (f"{lat['answers']:,} published answers + 66 entries, {lat['letters']:,} letters indexed; "
            f"{lat['queries']} wordings × {max(repeat, 3)}, {lat['statements']:.1f} statements per search")
    rows.append(Row("knowledge search p50 (PostgreSQL) vs its own SQL replayed", percentile(ours, 50) * 1000,
                    percentile(own, 50) * 1000, "ms", "—", None, note))
    rows.append(Row("knowledge search p95 (PostgreSQL) vs its own SQL replayed", percentile(ours, 95) * 1000,
                    percentile(own, 95) * 1000, "ms", "p95 < 50 ms and ≤ 1.5× its SQL",
                    percentile(ours, 95) < 0.05 and percentile(ours, 95) <= 1.5 * percentile(own, 95)))
    rows.append(Row("knowledge search p95 vs the first candidate statement alone", percentile(ours, 95) * 1000,
                    percentile(base, 95) * 1000, "ms", "—", None, "the earlier baseline: the narrowest statement"))
    rows.append(Row(f"knowledge search p50 vs one ranked statement of every word ({len(naive)} wordings, once)",
                    percentile(ours, 50) * 1000, statistics.median(naive) * 1000, "ms", "—", None,
                    "what a first version would send"))
    rows.append(Row("entry in the top 3 of the mixed public results (entries + 1M answers)", lat["mixed3"] * 100,
                    None, "%", "—"))
    print(f"  mean ours {statistics.mean(ours) * 1000:.1f} ms, own SQL {statistics.mean(own) * 1000:.1f} ms, "
          f"first statement {statistics.mean(base) * 1000:.1f} ms")
    return rows
