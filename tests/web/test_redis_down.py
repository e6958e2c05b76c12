"""Redis is optional at run time: with REDIS_URL pointing at a port nobody listens on,
signing in, writing a letter and following it still work (the rate limiter falls back
to memory and says so in the log), and the limits still hold."""

import logging
import re

import pytest

from casework.extensions import limiter
from tests.conftest import make_app
from tests.factories import PASSWORD, build_world
from tests.web.conftest import Browser
from tests.web.test_letters import LETTER, code_of

DEAD_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


@pytest.fixture
def dead_redis_app(tmp_path, request):
    app = make_app("sqlite", tmp_path, request, REDIS_URL=DEAD_REDIS, RATELIMIT_ENABLED=True)
    yield app
    # The limiter is one object for every app of the test process: the next app's storage
    # is alive. (No limiter.reset() here: it would ask the dead Redis.)
    limiter._storage_dead = False


def test_sign_in_write_and_query_without_redis(dead_redis_app, caplog):
    app = dead_redis_app
    with app.app_context():
        build_world()
    with caplog.at_level(logging.WARNING):
        staff = Browser(app.test_client())
        staff.get("/login")
        signed_in = staff.post("/login", {"username": "reviewer", "password": PASSWORD})
        assert signed_in.status_code == 302 and signed_in.location == "/review"
        assert staff.get("/review").status_code == 200

        citizen = Browser(app.test_client())
        citizen.get("/letters/new")
        written = citizen.post("/letters/new", LETTER, follow_redirects=True)
        assert written.status_code == 200
        code = code_of(written)
        followed = citizen.post("/letters/query", {"code": code}, follow_redirects=True)
        assert followed.status_code == 200 and "已受理" in followed.get_data(as_text=True)
    assert any("falling back to in-memory" in r.getMessage() for r in caplog.records)

    # The limits still apply, from memory: the 6th letter within the hour is refused.
    codes = [citizen.post("/letters/new", LETTER).status_code for _ in range(5)]
    assert codes == [303] * 4 + [429]  # filed: redirected to the confirmation
    assert "操作过于频繁" in citizen.post("/letters/new", LETTER).get_data(as_text=True)
    assert re.search(r"XJ-\d{4}-\d{6}", written.get_data(as_text=True))
