"""An app per test, on every database backend the suite runs against.

Backends come from CASEWORK_TEST_BACKENDS (default "sqlite,postgresql"). PostgreSQL is
required by default: if it cannot be reached the tests fail with the reason, they are
never silently skipped. SQLite gets a fresh file per test; PostgreSQL gets one database
per test session, built by the real migrations, truncated between tests.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from casework import create_app
from casework.extensions import db
from casework.services import policy

BACKENDS = [b.strip() for b in os.environ.get("CASEWORK_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]
PG_SERVER = os.environ.get("CASEWORK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS_SERVER = os.environ.get("CASEWORK_TEST_REDIS", "redis://127.0.0.1:6379")

BASE_CONFIG = {
    "TESTING": True,
    "CASEWORK_ENV": "testing",
    "SECRET_KEY": "test-secret",
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # scrypt is deliberately slow
    "REDIS_URL": None,
    # The limiter's memory storage outlives an app; only its own test turns it on.
    "RATELIMIT_ENABLED": False,
}


def _pg_database_name(worker_id: str) -> str:
    return f"casework_test_{worker_id}".replace("-", "_")


@pytest.fixture(scope="session")
def pg_url(worker_id):
    """A fresh PostgreSQL database for this test session, migrated to head."""
    name = _pg_database_name(worker_id)
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        pytest.fail(f"PostgreSQL is required for the test suite and is not reachable at "
                    f"{PG_SERVER} ({exc.orig}). Start it (see README) or set "
                    f"CASEWORK_TEST_BACKENDS=sqlite for a local SQLite-only run.", pytrace=False)
    finally:
        admin.dispose()
    url = f"{PG_SERVER}/{name}"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def worker_id(request):
    # pytest-xdist provides this fixture; without xdist there is one worker.
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


def _truncate_all() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables if t.name != "alembic_version")
    db.session.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


def make_app(backend: str, tmp_path, request, **extra):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    elif backend == "postgresql":
        url = request.getfixturevalue("pg_url")
    else:
        raise ValueError(f"unknown test backend {backend!r}")
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **extra})
    with app.app_context():
        if backend == "sqlite":
            db.create_all()
        else:
            _truncate_all()
        policy.ensure_defaults()
    return app


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def app(backend, tmp_path, request):
    app = make_app(backend, tmp_path, request)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def pg_app(tmp_path, request):
    """PostgreSQL only: for row locks and truly concurrent sessions."""
    if "postgresql" not in BACKENDS:
        pytest.fail("this test needs PostgreSQL; CASEWORK_TEST_BACKENDS excludes it", pytrace=False)
    app = make_app("postgresql", tmp_path, request)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    """An app context for tests that call services directly."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def redis_url(worker_id):
    """A real Redis database for this test, emptied first. Required, never skipped."""
    import redis

    index = 15 - (int(worker_id[2:]) if worker_id.startswith("gw") else 0)
    url = f"{REDIS_SERVER}/{index}"
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis is required for the job tests and is not reachable at {url} ({exc}). "
                    "Start it (see README).", pytrace=False)
    return url


@pytest.fixture
def rq_app(backend, tmp_path, request, redis_url):
    app = make_app(backend, tmp_path, request, REDIS_URL=redis_url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
