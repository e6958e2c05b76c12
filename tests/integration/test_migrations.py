"""The migrations build exactly the schema the models describe, on both backends."""

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
