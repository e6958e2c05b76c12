"""Generate a realistic casework database in PostgreSQL, fast.

    python -m benchmarks.generate --size 1m [--seed 42] [--database casework_bench]

Sizes: 10k, 100k, 1m, 10m (or a number). About 120 units, cases over several years with
realistic mixes of type, channel, state, returns and overdue, their events, replies and
reviews. The database is dropped and rebuilt by the real migrations, then loaded with
COPY. Deterministic for a seed and a --now.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime

import numpy as np
import sqlalchemy as sa

from benchmarks.datagen import bulk
from benchmarks.datagen.cases import CaseGenerator
from benchmarks.datagen.load import copy, frame
from benchmarks.datagen.texts import Texts
from benchmarks.datagen.workdays import Workdays

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
SERVER = os.environ.get("BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
COUNTIES = ["汉滨区", "汉阴县", "石泉县", "宁陕县", "紫阳县", "岚皋县", "平利县", "镇坪县", "旬阳市", "白河县"]
DEPARTMENTS = ["发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局",
               "财政局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局",
               "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局",
               "审计局", "市场监督管理局", "统计局", "医疗保障局", "林业局", "城市管理执法局", "信访局",
               "住房公积金中心", "数据局", "政务服务中心"]


def bench_url(database: str) -> str:
    return f"{SERVER}/{database}"


def recreate(database: str) -> None:
    admin = sa.create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
    admin.dispose()


def migrate(url: str) -> None:
    from flask_migrate import upgrade

    from casework import create_app
    from casework.services import policy

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        policy.ensure_defaults()
        from casework.extensions import db
        db.engine.dispose()


def units_and_users(conn, n_units: int) -> None:
    from werkzeug.security import generate_password_hash

    names = [f"{c}人民政府" for c in COUNTIES]
    names += [f"安康市{d}" for d in DEPARTMENTS]
    names += [f"安康市{d}第{i}分局" for i in range(1, 10) for d in DEPARTMENTS][: n_units - len(names)]
    kinds = ["county"] * len(COUNTIES) + ["department"] * (n_units - len(COUNTIES))
    pw = generate_password_hash("bench-password-1", method="pbkdf2:sha256:1000")
    now = datetime.now(UTC).isoformat()
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO units (id, code, name, kind, active, requires_leader_approval, notify_digest, created_at)"
                        " VALUES (%s, %s, %s, %s, true, false, false, %s)",
                        [(i + 1, f"u{i + 1:03d}", names[i], kinds[i], now) for i in range(n_units)])
        office = [("admin", "admin", None), ("reviewer", "reviewer", None), ("dispatcher", "dispatcher", None)]
        people = office + [(f"u{i:03d}_{r}", role, i) for i in range(1, n_units + 1)
                           for r, role in (("cbr", "unit_handler"), ("ld", "unit_leader"))]
        cur.executemany("INSERT INTO users (username, display_name, password_hash, role, unit_id, active,"
                        " failed_logins, created_at) VALUES (%s, %s, %s, %s, %s, true, 0, %s)",
                        [(u, u, pw, role, unit, now) for u, role, unit in people])
        cur.execute("SELECT setval('units_id_seq', %s)", (n_units,))


def with_texts(cols: dict, texts: Texts, published_share: float, rng,
               replied: np.ndarray) -> tuple[dict, dict, np.ndarray, np.ndarray]:
    """Letters get realistic texts; a share of the accepted ones with consent are published
    with their answer. Returns the search documents (letters, with their reply's terms once
    `replied`, as the app indexes them, and published answers), the publications
    (case_publications' columns), which cases were published, and each letter's answer text."""
    letters = cols["type"] == "letter"
    n = int(letters.sum())
    t = texts.rows(n)
    for name in ("subject", "body"):
        cols[name] = cols[name].astype(object)
        cols[name][letters] = t[name]
    accepted = letters & (cols["close_reason"] == "accepted")
    published = accepted & (rng.random(len(letters)) < published_share)
    cols["consent_publish"] = published | (letters & (rng.random(len(letters)) < 0.2))
    reply_text = np.full(len(letters), None, dtype=object)
    reply_text[letters] = t["reply"]
    at = np.where(published, cols["closed_at"] + 86_400, -1)
    publications = {"case_id": cols["id"][published], "unit_id": cols["unit_id"][published],
                    "category": cols["category"][published], "subject": cols["subject"][published],
                    "body": cols["body"][published], "reply": reply_text[published],
                    "published_at": at[published]}
    ids = cols["id"][letters]
    pub = published[letters]
    docs = {
        "id": np.concatenate([ids * 2 - 1, ids[pub] * 2]),
        "kind": np.array(["letter"] * n + ["answer"] * int(pub.sum()), dtype=object),
        "ref_id": np.concatenate([ids, ids[pub]]),
        "public": np.concatenate([np.zeros(n, bool), np.ones(int(pub.sum()), bool)]),
        "title_terms": np.concatenate([t["subject_terms"], t["subject_terms"][pub]]),
        "body_terms": np.concatenate([np.where(replied[letters], t["answer_body_terms"], t["body_terms"]),
                                      t["answer_body_terms"][pub]]),
        "topic": np.concatenate([t["topic"], np.full(int(pub.sum()), None, dtype=object)]),
        "area": np.concatenate([t["area"], np.full(int(pub.sum()), None, dtype=object)]),
        "at": np.concatenate([cols["received_at"][letters], at[letters][pub]]),
    }
    return docs, publications, published, reply_text


def reply_bodies(rep: dict, first_id: int, reply_text: np.ndarray) -> np.ndarray:
    """Each reply carries its letter's answer text (findings and policy tasks a stock one)."""
    text = reply_text[rep["case_id"] - first_id]
    return np.where(text == None, "您好，您反映的问题已收悉并已处理，感谢监督。", text).astype(object)  # noqa: E711


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="10k")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--database", default="casework_bench")
    parser.add_argument("--units", type=int, default=120)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--open-share", type=float, default=0.2)
    parser.add_argument("--newly-overdue", type=int, default=None,
                        help="open cases past due but not marked yet (default: 0.5%% of cases)")
    parser.add_argument("--now", default=None, help="reference time, ISO (default: now)")
    parser.add_argument("--chunk", type=int, default=250_000)
    parser.add_argument("--published-share", type=float, default=0.3,
                        help="share of accepted letters whose answer is published (and indexed for search)")
    args = parser.parse_args(argv)

    n = SIZES.get(args.size.lower()) or int(args.size)
    now = int(datetime.fromisoformat(args.now).timestamp()) if args.now else int(time.time())
    newly = args.newly_overdue if args.newly_overdue is not None else n // 200
    url = bench_url(args.database)
    t0 = time.perf_counter()
    recreate(args.database)
    migrate(url)
    t_schema = time.perf_counter() - t0

    import psycopg
    year = datetime.fromtimestamp(now, UTC).year
    generator = CaseGenerator(n, int(n * args.open_share), newly, now, args.years, args.units, args.seed,
                              Workdays(year - args.years - 1, year + 1))
    counts = {"cases": 0, "case_events": 0, "replies": 0, "reviews": 0, "search_docs": 0, "published": 0}
    texts = Texts(np.random.default_rng(args.seed + 1))
    reply_id = 0
    plain_url = url.replace("+psycopg", "")
    with psycopg.connect(plain_url) as conn:
        units_and_users(conn, args.units)
        restore = bulk.strip(conn)
        for chunk in generator.chunks(args.chunk):
            cols = dict(chunk.cols)
            cols["created_at"] = cols["updated_at"] = cols["received_at"]
            cols["due_provisional"] = np.zeros(len(cols["id"]), dtype=bool)
            replied = np.isin(cols["id"], chunk.replies["case_id"])
            docs, publications, answers, reply_text = with_texts(cols, texts, args.published_share,
                                                                 np.random.default_rng(cols["id"][0]), replied)
            counts["cases"] += copy(conn, "cases", frame(cols))
            copy(conn, "case_publications", frame(publications))
            counts["search_docs"] += copy(conn, "search_docs", frame(docs))
            counts["published"] += int(answers.sum())
            ev = dict(chunk.events)
            ev["data"] = np.full(len(ev["case_id"]), "{}", dtype=object)
            counts["case_events"] += copy(conn, "case_events", frame(ev))
            rep = dict(chunk.replies)
            rep["id"] = np.arange(reply_id + 1, reply_id + 1 + len(rep["case_id"]))
            rep["body"] = reply_bodies(rep, int(cols["id"][0]), reply_text)
            rep["author_id"] = np.full(len(rep["id"]), 4)
            counts["replies"] += copy(conn, "replies", frame(rep))
            key = rep["case_id"] * 4 + rep["attempt"]
            order = np.argsort(key)
            rev = dict(chunk.reviews)
            rev["reply_id"] = rep["id"][order][np.searchsorted(key[order], rev.pop("case_id") * 4 + rev.pop("attempt"))]
            rev["reviewer_id"] = np.full(len(rev["reply_id"]), 2)
            counts["reviews"] += copy(conn, "reviews", frame(rev))
            reply_id += len(rep["id"])
            conn.commit()
        with conn.cursor() as cur:
            for table in ("cases", "replies", "search_docs"):
                cur.execute(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
            cur.executemany("INSERT INTO case_number_sequences (prefix, year, last) VALUES (%s, %s, %s)",
                            [(p, int(y), int(last)) for (p, y), last in generator.seq.items()])
        conn.commit()
    t_load = time.perf_counter() - t0 - t_schema
    bulk.rebuild(plain_url, restore)
    t_index = time.perf_counter() - t0 - t_schema - t_load
    with psycopg.connect(plain_url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    total = time.perf_counter() - t0
    print(f"generated {counts} into {args.database} (now={datetime.fromtimestamp(now, UTC):%Y-%m-%d %H:%M} UTC, "
          f"open share {args.open_share}, newly overdue {newly})")
    print(f"schema {t_schema:.1f}s, load {t_load:.1f}s, indexes {t_index:.1f}s, "
          f"analyze {total - t_schema - t_load - t_index:.1f}s, total {total:.1f}s "
          f"({counts['cases'] / total:,.0f} cases/s overall)")


if __name__ == "__main__":
    main()
