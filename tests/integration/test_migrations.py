"""The migrations build exactly the schema the models describe, on both backends."""

import json

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from casework import create_app
from casework.extensions import db
from tests.conftest import BASE_CONFIG, PG_SERVER, drop_pg_database, pg_database_name


@pytest.fixture
def empty_database_url(backend, tmp_path, worker_id, request):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    name = pg_database_name(request.config, worker_id, kind="migtest")
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    yield f"{PG_SERVER}/{name}"
    drop_pg_database(name)


def test_upgrade_matches_models_and_downgrade_empties(empty_database_url):
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            # Dialect-only objects (the search index's tsvector column and GIN indexes, or its
            # FTS5 table) are declared beside the models and checked in test_search_schema.
            context = MigrationContext.configure(conn, opts={"include_object": db.metadata.info["include_object"]})
            diff = compare_metadata(context, db.metadata)
        assert diff == []
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()


def test_migrations_build_the_search_index_of_each_dialect(empty_database_url):
    """What the comparison above leaves out: the tsvector column with its GIN indexes on
    PostgreSQL, the FTS5 table and its triggers on SQLite, and that search works on them."""
    from casework.models import SearchDoc

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        inspector = sa.inspect(db.engine)
        if db.engine.dialect.name == "postgresql":
            assert "vector" in {c["name"] for c in inspector.get_columns("search_docs")}
            assert {"ix_search_docs_public_vector", "ix_search_docs_letter_vector", "ix_search_docs_entry_vector"} <= {
                i["name"] for i in inspector.get_indexes("search_docs")}
            match = "SELECT ref_id FROM search_docs WHERE vector @@ to_tsquery('simple', '户籍:*')"
        else:
            assert "search_docs_fts" in inspector.get_table_names()
            match = "SELECT rowid FROM search_docs_fts WHERE search_docs_fts MATCH '\"户籍\"*'"
        db.session.add(SearchDoc(kind="entry", ref_id=7, public=True, title_terms="户籍 迁移", body_terms=""))
        db.session.commit()
        assert db.session.execute(sa.text(match)).scalars().all() in ([7], [1])
        db.session.execute(sa.delete(SearchDoc))
        db.session.commit()
        assert db.session.execute(sa.text(match)).all() == []  # the FTS triggers follow deletes
        db.session.remove()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"} == set()
        db.engine.dispose()


SPLIT = "a9c3e5f7b1d2"  # the public side out of `cases` (case_publications, case_ratings)


def _insert(conn, table: str, **given):
    """A row with `given`, every other required column filled by its type (the schema as
    it stands at this revision, not as the models describe it today)."""
    filler = {sa.String: "x", sa.Text: "x", sa.Integer: 1, sa.Boolean: False, sa.DateTime: "2026-03-02 01:00:00+00",
              sa.Date: "2026-03-02", sa.JSON: "{}"}
    row = dict(given)
    for column in sa.inspect(conn).get_columns(table):
        if column["name"] in row or column["nullable"] or column.get("default") is not None or \
                column.get("autoincrement") is True or column["name"] == "id":
            continue
        row[column["name"]] = next(v for t, v in filler.items() if isinstance(column["type"], t))
    names = ", ".join(row)
    conn.execute(sa.text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in row)})"), row)


def test_the_public_side_moves_to_its_tables_and_back(empty_database_url):
    """Published, withdrawn and rated letters keep their texts, tokens and ratings through
    the split and its downgrade."""
    from alembic.script import ScriptDirectory
    from flask import current_app

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        scripts = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
        before = scripts.get_revision(SPLIT).down_revision
        upgrade(revision=before)
        postgres = db.engine.dialect.name == "postgresql"
        tokens = ["停水", "水问"] if postgres else "停水 水问"
        reasons = '["unsolved", "slow"]'
        with db.engine.begin() as conn:
            _insert(conn, "units", id=7, code="zyx", name="紫阳县人民政府", kind="county", active=True,
                    requires_leader_approval=False)
            published_at = "2026-03-05 02:00:00+00"
            for i, extra in enumerate([
                    # published and rated 不满意 with reasons
                    {"public_subject": "停水", "public_body": "新桥社区停水", "public_reply": "已恢复供水",
                     "public_search": tokens, "published_at": published_at, "rating": "unsatisfied",
                     "rating_comment": "水压低", "rating_reasons": reasons, "rated_at": "2026-03-06 02:00:00+00"},
                    # published once, then withdrawn: the texts stay for the next publication
                    {"public_subject": "路灯", "public_body": "路灯不亮", "public_reply": "已修复"},
                    # neither
                    {}], start=1):
                _insert(conn, "cases", id=i, number=f"XJ-2026-00000{i}", type="letter", channel="web",
                        category="help", unit_id=7, state="closed", close_reason="accepted", **extra)
        upgrade(revision=SPLIT)
        with db.engine.connect() as conn:
            publications = conn.execute(sa.text(
                "SELECT case_id, unit_id, category, subject, body, reply, search, published_at IS NOT NULL "
                "FROM case_publications ORDER BY case_id")).all()
            ratings = conn.execute(sa.text("SELECT case_id, grade, reasons, comment FROM case_ratings")).all()
            columns = {c["name"] for c in sa.inspect(conn).get_columns("cases")}
        assert [p[:6] + (p[7],) for p in publications] == [
            (1, 7, "help", "停水", "新桥社区停水", "已恢复供水", True), (2, 7, "help", "路灯", "路灯不亮", "已修复", False)]
        assert publications[0][6] == tokens
        assert [(r[0], r[1], r[3]) for r in ratings] == [(1, "unsatisfied", "水压低")]
        assert (ratings[0][2] if postgres else json.loads(ratings[0][2])) == ["unsolved", "slow"]
        assert not columns & {"public_subject", "published_at", "public_search", "rating", "rated_at"}

        downgrade(revision=before)
        with db.engine.connect() as conn:
            back = conn.execute(sa.text(
                "SELECT id, public_subject, public_body, public_reply, public_search, published_at IS NOT NULL, "
                "rating, rating_comment, rating_reasons FROM cases ORDER BY id")).all()
            tables = set(sa.inspect(conn).get_table_names())
        assert [b[:4] + (b[5], b[6], b[7]) for b in back] == [
            (1, "停水", "新桥社区停水", "已恢复供水", True, "unsatisfied", "水压低"),
            (2, "路灯", "路灯不亮", "已修复", False, None, None),
            (3, None, None, None, False, None, None)]
        assert back[0][4] == tokens and back[1][4] is None
        assert (back[0][8] if postgres else json.loads(back[0][8])) == ["unsolved", "slow"]
        assert not tables & {"case_publications", "case_ratings"}
        db.engine.dispose()
