"""An app per test, on every database backend the suite runs against.

Backends come from CASEWORK_TEST_BACKENDS (default "sqlite,postgresql"). PostgreSQL is
required by default: if it cannot be reached the tests fail with the reason, they are
never silently skipped. SQLite gets a fresh file per test; PostgreSQL gets one database
per test session, built by the real migrations, truncated between tests.
"""

from __future__ import annotations

import os
import time
import uuid

import pytest
import sqlalchemy as sa
from hypothesis import settings

from casework import create_app
from casework.extensions import db
from casework.services import policy

# Property tests check properties, not timings: on a loaded machine (CI next to other
# suites) Hypothesis's per-example deadline would fail them for being slow.
settings.register_profile("casework", deadline=None)
settings.load_profile("casework")

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
    "LOG_LEVEL": "WARNING",
}


def _run_id(config) -> str:
    # One id per `pytest` invocation, shared by its xdist workers, so two checkouts on one
    # machine never use (or drop) each other's databases.
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        return workerinput["casework_run_id"]
    if not hasattr(config, "casework_run_id"):
        config.casework_run_id = os.environ.get("CASEWORK_TEST_RUN_ID") or uuid.uuid4().hex[:10]
    return config.casework_run_id


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    node.workerinput["casework_run_id"] = _run_id(node.config)


def pg_database_name(config, worker_id: str, kind: str = "test") -> str:
    return f"casework_{kind}_{_run_id(config)}_{worker_id}".replace("-", "_").lower()


def _pg_admin():
    return sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")


def drop_pg_database(name: str) -> None:
    admin = _pg_admin()
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def pg_url(worker_id, request):
    """A fresh PostgreSQL database for this test session, migrated to head; dropped at the end."""
    name = pg_database_name(request.config, worker_id)
    admin = _pg_admin()
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
    yield url
    drop_pg_database(name)


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


# Redis databases are numbered, not named: a run claims a free one per worker (1-10; the
# benchmarks use 11-15) with a key in database 0 that expires, so a killed run frees its
# database within the hour.
_CLAIM = "casework-test-claim:{}"
_CLAIM_SECONDS = 3600
_CLAIM_WAIT_SECONDS = 900


@pytest.fixture(scope="session")
def _redis_database(worker_id, request):
    import redis

    owner = f"{_run_id(request.config)}:{worker_id}"
    # Several checkouts may test at once; a run waits for a database to come free rather
    # than failing while others hold all ten.
    deadline = time.monotonic() + _CLAIM_WAIT_SECONDS
    index = None
    try:
        claims = redis.Redis.from_url(f"{REDIS_SERVER}/0")
        while index is None:
            index = next((i for i in range(1, 11)
                          if claims.set(_CLAIM.format(i), owner, nx=True, ex=_CLAIM_SECONDS)),
                         None)
            if index is None:
                if time.monotonic() > deadline:
                    pytest.fail("every Redis test database (1-10) stayed claimed by other "
                                f"test runs for {_CLAIM_WAIT_SECONDS} s", pytrace=False)
                time.sleep(2)
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis is required for the job tests and is not reachable at {REDIS_SERVER} "
                    f"({exc}). Start it (see README).", pytrace=False)
    yield index
    redis.Redis.from_url(f"{REDIS_SERVER}/{index}").flushdb()
    if claims.get(_CLAIM.format(index)) == owner.encode():
        claims.delete(_CLAIM.format(index))


@pytest.fixture
def redis_url(_redis_database):
    """A real Redis database for this test, emptied first. Required, never skipped."""
    import redis

    url = f"{REDIS_SERVER}/{_redis_database}"
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def rq_app(backend, tmp_path, request, redis_url):
    app = make_app(backend, tmp_path, request, REDIS_URL=redis_url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
