"""A PostgreSQL restart or failover is invisible to users: pooled connections that the
server dropped are noticed before use, so the first request (and the first job) after
the database is back succeeds. The restart is simulated by a TCP proxy in front of the
shared PostgreSQL that the test cuts; the server itself is never touched."""

from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from casework.extensions import db
from casework.jobs import tasks
from tests.conftest import BASE_CONFIG
from tests.factories import PASSWORD, build_world
from tests.support.tcp_proxy import TcpProxy
from tests.web.conftest import Browser


@pytest.fixture
def proxied_app(pg_app, pg_url):
    parts = urlsplit(pg_url)
    proxy = TcpProxy(parts.hostname, parts.port or 5432)
    from casework import create_app

    url = pg_url.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{proxy.port}")
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        build_world()
    yield app, proxy
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    proxy.close()


def test_pages_after_a_restart(proxied_app):
    app, proxy = proxied_app
    clerks = [Browser(app.test_client()) for _ in range(3)]
    for b, name in zip(clerks, ("reviewer", "dispatcher", "admin"), strict=True):
        b.login(name, PASSWORD)
    # Several pooled connections, all used once.
    assert [b.get("/overview").status_code for b in clerks] == [200, 200, 200]
    assert proxy.cut() >= 1
    # Every clerk's next page works: no AdminShutdown / OperationalError 500.
    assert [b.get("/overview").status_code for b in clerks] == [200, 200, 200]
    assert proxy.cut() >= 1
    assert clerks[0].post("/logout").status_code == 302


def test_jobs_after_a_restart(proxied_app):
    app, proxy = proxied_app
    with app.app_context():
        tasks.reconcile()
        db.session.remove()  # back to the pool, as a worker does after each job
        proxy.cut()
        assert isinstance(tasks.reconcile(), dict)
        db.session.remove()
        proxy.cut()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("users"))) == 7


def test_engine_checks_connections_before_use(app):
    # Every backend: a connection that died in the pool is replaced, not handed out.
    with app.app_context():
        assert db.engine.pool._pre_ping


def test_the_unproxied_database_is_untouched(pg_app):
    # The proxy is per test: the shared server and its other databases never restart.
    with pg_app.app_context():
        assert db.session.scalar(sa.text("SELECT 1")) == 1


def test_while_the_database_is_away_pages_say_so(proxied_app):
    app, proxy = proxied_app
    b = Browser(app.test_client())
    b.login("reviewer", PASSWORD)
    proxy.down = True  # the database is away: connections are dropped at once
    proxy.cut()
    response = b.get("/overview")
    assert response.status_code == 503 and "数据库暂时无法连接" in response.get_data(as_text=True)
    proxy.down = False  # back: the same client's next page works
    assert b.get("/overview").status_code == 200
