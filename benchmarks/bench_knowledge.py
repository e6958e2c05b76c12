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

from .harness import Row

EVAL = Path(__file__).parent / "data" / "knowledge_eval.json"
SERVER = os.environ.get("BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_KB_DATABASE", "casework_bench_kb")
BARE = ("SELECT id FROM search_docs, to_tsquery('simple', :q) query WHERE vector @@ query AND public "
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


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def latency(repeat: int) -> dict:
    from casework.extensions import db
    from casework.models import SearchDoc
    from casework.queries import knowledge as kb
    from casework.search import engine
    from casework.search import query as q

    entries, wordings = pairs()
    app = _app(f"{SERVER}/{DATABASE}")
    with app.app_context():
        ids = load_entries(entries)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE search_docs"))
        answers = db.session.scalar(sa.select(sa.func.count(SearchDoc.id)).where(sa.text("kind = 'answer' AND public")))
        letters = db.session.scalar(sa.select(sa.func.count(SearchDoc.id)).where(sa.text("kind = 'letter'")))
        texts = [w for _, w in wordings]
        common = engine.common_words("postgresql")
        tsq = {w: q.tsquery(kb.analyzed(w), common) for w in texts}
        bare = sa.text(BARE)
        for w in texts:  # warm the caches: the page of a warm server
            kb.search(w)
            db.session.execute(bare, {"q": tsq[w]}).all()
        ours, base = [], []
        for _ in range(repeat):
            for w in texts:
                t = time.perf_counter()
                db.session.execute(bare, {"q": tsq[w]}).all()
                base.append(time.perf_counter() - t)
                t = time.perf_counter()
                kb.search(w, limit=10)
                ours.append(time.perf_counter() - t)
        mixed = ranks(ids, wordings, engine.PUBLIC)
        db.session.remove()
        db.engine.dispose()
    return {"answers": answers, "letters": letters, "ours": ours, "base": base, "queries": len(texts),
            "mixed3": sum(r is not None and r <= 3 for *_, r in mixed) / len(mixed)}


def run(repeat: int = 5) -> list[Row]:
    rows = []
    for backend in ("sqlite", "postgresql"):
        r1, r3, n = recall(backend, verbose=True)
        rows.append(Row(f"knowledge recall@1, {backend} ({n} citizen wordings, 66 entries)", r1 * 100, None, "%",
                        "≥ 70%", r1 >= 0.7))
        rows.append(Row(f"knowledge recall@3, {backend}", r3 * 100, None, "%", "≥ 90%", r3 >= 0.9))
    lat = latency(max(repeat, 3))
    ours, base = lat["ours"], lat["base"]
    p50, p95, b50, b95 = (_pct(ours, 50), _pct(ours, 95), _pct(base, 50), _pct(base, 95))
    note = (f"{lat['answers']:,} published answers + 66 entries, {lat['letters']:,} letters indexed; "
            f"{lat['queries']} wordings × {max(repeat, 3)}")
    rows.append(Row("knowledge search p50 (PostgreSQL) vs bare full-text SQL", p50 * 1000, b50 * 1000, "ms",
                    "—", None, note))
    rows.append(Row("knowledge search p95 (PostgreSQL) vs bare full-text SQL", p95 * 1000, b95 * 1000, "ms",
                    "p95 < 50 ms and ≤ 1.5× bare", p95 < 0.05 and p95 <= 1.5 * b95))
    rows.append(Row("entry in the top 3 of the mixed public results (entries + 1M answers)", lat["mixed3"] * 100,
                    None, "%", "—"))
    print(f"  mean ours {statistics.mean(ours) * 1000:.1f} ms, bare {statistics.mean(base) * 1000:.1f} ms")
    return rows
