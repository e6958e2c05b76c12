"""The one search interface over both databases: candidates by the database's own
full-text ranking (ts_rank_cd on PostgreSQL, bm25 on SQLite), then scored by coverage
(query.py), identically on both."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from ..extensions import db
from ..models.types import UTCDateTime
from . import query as q

POOL = 60  # candidates coverage decides among
WINDOW = 5000  # newest documents a common word's matches are looked for in (< 10 ms)


@dataclass(frozen=True)
class Hit:
    doc_id: int
    kind: str
    ref_id: int
    score: float


@dataclass(frozen=True)
class Scope:
    """Which documents a search reads. `public` documents are entries and answers anyone
    may see (the GIN index on PostgreSQL covers exactly those); letters are internal."""

    letters: bool = False
    kinds: tuple[str, ...] = ("entry", "answer")
    join_cases: bool = False
    where: tuple[str, ...] = ()
    params: tuple[tuple[str, object], ...] = ()


PUBLIC = Scope()
ENTRIES = Scope(kinds=("entry",))
ANSWERS = Scope(kinds=("answer",))


def _kinds_sql(scope: Scope, alias: str = "d") -> list[str]:
    kinds = scope.kinds
    return [f"{alias}.kind = '{kinds[0]}'" if len(kinds) == 1 else
            f"{alias}.kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")",
            f"({alias}.valid_from IS NULL OR {alias}.valid_from <= :today)",
            f"({alias}.valid_until IS NULL OR {alias}.valid_until >= :today)"]


def _scope_sql(scope: Scope) -> tuple[str, str]:
    joins = " JOIN cases c ON c.id = d.ref_id" if scope.join_cases else ""
    # Literal predicates, so PostgreSQL picks the partial GIN index that matches them.
    cond = ["d.kind = 'letter'"] if scope.letters else ["d.public", *_kinds_sql(scope)]
    return joins, " AND ".join(cond + list(scope.where))


def candidates_sql(dialect: str, scope: Scope, mode: str = q.RANKED) -> str:
    joins, cond = _scope_sql(scope)
    if dialect == "postgresql" and mode == q.NEWEST:
        # The newest documents with a common word: the newest public documents, read
        # backwards (ix_search_docs_public_at), meet them within a few thousand rows, where
        # the GIN bitmap must first collect every one of its ~100,000 matches (25–90 ms
        # measured). At most WINDOW of them: a word common among letters but rare among
        # answers must not read the whole index.
        return (f"SELECT r.id, r.kind, r.ref_id, r.title_terms, r.body_terms FROM (SELECT d.id, d.kind, "
                f"d.ref_id, d.title_terms, d.body_terms, d.vector FROM search_docs d WHERE {cond} "
                f"ORDER BY d.at DESC, d.id DESC LIMIT {WINDOW}) r, to_tsquery('simple', :q) query "
                f"WHERE r.vector @@ query LIMIT :pool")
    if dialect == "postgresql" and not (scope.letters or scope.where or scope.join_cases or scope.kinds == ("entry",)):
        # Answers match through the GIN index of all public documents, which does not
        # imply their kind: given `kind` beside it, the planner may AND the GIN bitmap with
        # one of every answer from the (kind, ref_id) index (1,020,906 rows: 120-150 ms
        # measured, for matches the GIN index alone gives in 1 ms). OFFSET 0 keeps the kind
        # and the validity out of the scan, as filters of its rows.
        order = "ORDER BY ts_rank_cd(m.vector, m.query) DESC, m.id DESC " if mode == q.RANKED else ""
        return ("SELECT m.id, m.kind, m.ref_id, m.title_terms, m.body_terms FROM (SELECT d.id, d.kind, d.ref_id, "
                "d.title_terms, d.body_terms, d.vector, d.valid_from, d.valid_until, query FROM search_docs d, "
                "to_tsquery('simple', :q) query WHERE d.vector @@ query AND d.public OFFSET 0) m "
                f"WHERE {' AND '.join(_kinds_sql(scope, 'm'))} {order}LIMIT :pool")
    if dialect == "postgresql":
        order = "ORDER BY ts_rank_cd(d.vector, query) DESC, d.id DESC " if mode == q.RANKED else ""
        return (f"SELECT d.id, d.kind, d.ref_id, d.title_terms, d.body_terms FROM search_docs d{joins}, "
                f"to_tsquery('simple', :q) query WHERE d.vector @@ query AND {cond} {order}LIMIT :pool")
    cond = cond.replace("d.public", "d.public = 1")
    return (f"SELECT d.id, d.kind, d.ref_id, d.title_terms, d.body_terms FROM search_docs_fts f "
            f"JOIN search_docs d ON d.id = f.rowid{joins} WHERE search_docs_fts MATCH :q AND {cond} "
            f"ORDER BY bm25(search_docs_fts, 3.0, 1.0), d.id DESC LIMIT :pool")


COMMON = 0.005      # a word in more than 0.5% of the documents does not pick candidates …
BIG = 100_000       # … in a collection of at least this many (PostgreSQL's estimate)
COMMON_TTL = 600.0  # the statistics change with ANALYZE (autovacuum): re-read every 10 minutes
_common: dict[str, tuple[float, dict[str, float] | None]] = {}


def common_words(dialect: str) -> dict[str, float] | None:
    """For a big collection, the words in more than COMMON of its documents, from
    PostgreSQL's own statistics of the tsvector column (most_common_elems, kept by
    ANALYZE); None for a small one (and on SQLite), where every match can be ranked."""
    if dialect != "postgresql":
        return None
    key = str(db.session.get_bind().url)
    hit = _common.get(key)
    if hit and time.monotonic() - hit[0] < COMMON_TTL:
        return hit[1]
    size = db.session.scalar(sa.text("SELECT reltuples FROM pg_class WHERE relname = 'search_docs'")) or 0
    row = db.session.execute(sa.text(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE tablename = 'search_docs' AND attname = 'vector'")).first() if size >= BIG else None
    words = None if size < BIG else {
        w: f for w, f in zip(row[0], row[1], strict=False) if f > COMMON} if row and row[0] else {}
    _common[key] = (time.monotonic(), words)
    return words


# For this statement only, the plan the tier needs whatever the planner guesses.
_PLAN = {
    # Some matches of rare words: with a LIMIT and no ORDER BY the planner bets on a scan
    # of the table (or of another index) meeting them early, misled by its guess of how
    # many rows a prefix OR matches; for rare words that reads a million rows (9 s
    # measured). The GIN bitmap it is.
    q.ANY: ("enable_seqscan", "enable_indexscan"),
}


def _read(stmt, params, mode: str, dialect: str) -> list:
    off = _PLAN.get(mode) if dialect == "postgresql" else None
    if not off:
        return db.session.execute(stmt, params).all()
    db.session.execute(sa.text("; ".join(f"SET LOCAL {o} = off" for o in off)))
    try:
        return db.session.execute(stmt, params).all()
    finally:
        db.session.execute(sa.text("; ".join(f"SET LOCAL {o} = on" for o in off)))


def search(analyzed: q.Analyzed, scope: Scope = PUBLIC, *, limit: int = 10, today: date | None = None,
           min_score: float = 0.0, pool: int = POOL) -> list[Hit]:
    """The best `limit` documents of `scope` for the query, best first."""
    if not analyzed:
        return []
    from workflows.clock import local_date

    from .. import clock

    dialect = db.session.get_bind().dialect.name
    today = today or local_date(clock.now())
    common = common_words(dialect)
    if common is not None and not scope.letters and "entry" in scope.kinds and len(scope.kinds) > 1:
        # Entries are the curated few, with their own GIN index: rank all their matches;
        # only the million answers need the big-collection path. Scores compare directly.
        entries = _search(analyzed, Scope(kinds=("entry",)), dialect, None, limit, today, min_score, pool)
        rest = Scope(kinds=tuple(k for k in scope.kinds if k != "entry"))
        others = _search(analyzed, rest, dialect, common, limit, today, min_score, pool)
        return sorted(entries + others, key=lambda h: -h.score)[:limit]
    return _search(analyzed, scope, dialect, None if scope.kinds == ("entry",) and not scope.letters else common,
                   limit, today, min_score, pool)


def _search(analyzed, scope, dialect, common, limit, today, min_score, pool) -> list[Hit]:
    pool = max(pool, limit)
    params = {"pool": pool, "today": today if dialect == "postgresql" else today.isoformat(), **dict(scope.params)}
    typed = [sa.bindparam(k, type_=UTCDateTime) for k, v in params.items() if isinstance(v, datetime)]
    rows: list = []
    for match, mode in q.match_queries(analyzed, dialect, common):
        seen = {r.id for r in rows}
        if mode == q.COMMON_FILL:
            # Newest first only where nothing else narrows the documents: a filter (a unit,
            # a month) can make the newest matches rare, and the bitmap is then the cheap way.
            mode = q.NEWEST if not (scope.letters or scope.where or scope.join_cases) else q.ANY
        stmt = sa.text(candidates_sql(dialect, scope, mode)).bindparams(*typed)
        more = _read(stmt, params | {"q": match, "pool": pool + len(rows)}, mode, dialect)
        if mode == q.NEWEST and len(rows) + len({r.id for r in more} - seen) < limit:
            # Common among all documents, not among the newest public ones: then its
            # posting list in the public GIN index is short, and the bitmap is cheap. The
            # newest matches found stay first.
            stmt = sa.text(candidates_sql(dialect, scope, q.ANY)).bindparams(*typed)
            newest = {r.id for r in more}
            more = more + [r for r in _read(stmt, params | {"q": match, "pool": pool + len(rows)}, q.ANY, dialect)
                           if r.id not in newest]
        rows += [r for r in more if r.id not in seen][:pool - len(rows)]
        # A big collection stops widening as soon as there is a page of candidates: each
        # wider expression reads longer posting lists.
        if len(rows) >= (pool if common is None else limit):
            break
    # Ties keep the database's order (its ranking): sorted() is stable.
    scored = sorted(((q.coverage(analyzed, r.title_terms, r.body_terms), i, r) for i, r in enumerate(rows)),
                    key=lambda t: (-t[0], t[1]))
    return [Hit(r.id, r.kind, r.ref_id, round(s, 4)) for s, _, r in scored if s > min_score][:limit]
