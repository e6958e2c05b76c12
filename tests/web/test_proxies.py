"""Behind the office's TLS proxy every request comes from the proxy's address: with
TRUSTED_PROXIES=1 the client is the address the proxy puts in X-Forwarded-For, so the
per-address limits apply per citizen; without it a forged header changes nothing."""

import pytest

from casework.extensions import limiter
from tests.conftest import make_app
from tests.factories import build_world
from tests.web.conftest import Browser
from tests.web.test_letters import LETTER

PROXY = "127.0.0.1"
FILED = 303  # a letter filed redirects to its confirmation (post/redirect/get)


def _letters_from(app, clients):
    """Each client writes one letter through the proxy; the status of each."""
    statuses = []
    for address in clients:
        b = Browser(app.test_client())
        # A browser on HTTPS sends its Referer (Flask-WTF checks it for HTTPS requests).
        headers = {"X-Forwarded-For": address, "X-Forwarded-Proto": "https",
                   "Referer": "https://localhost/letters/new"}
        env = {"REMOTE_ADDR": PROXY}
        b.get("/letters/new", headers=headers, environ_base=env)
        statuses.append(b.post("/letters/new", LETTER, headers=headers, environ_base=env).status_code)
    return statuses


@pytest.fixture
def limited(tmp_path, request):
    def make(**config):
        app = make_app("sqlite", tmp_path, request, RATELIMIT_ENABLED=True, **config)
        with app.app_context():
            build_world()
        limiter.reset()
        return app
    yield make
    limiter.reset()


def test_seven_citizens_behind_one_proxy_each_write_a_letter(limited):
    app = limited(TRUSTED_PROXIES=1)
    assert _letters_from(app, [f"203.0.113.{i}" for i in range(1, 8)]) == [FILED] * 7


def test_one_citizen_is_still_limited_behind_the_proxy(limited):
    app = limited(TRUSTED_PROXIES=1)
    assert _letters_from(app, ["203.0.113.9"] * 6) == [FILED] * 5 + [429]


def test_a_forged_header_is_ignored_without_trusted_proxies(limited):
    app = limited(TRUSTED_PROXIES=0)
    # A client talking to the app directly cannot pick a new address per request.
    assert _letters_from(app, [f"198.51.100.{i}" for i in range(1, 7)]) == [FILED] * 5 + [429]


def test_only_the_proxys_own_entry_is_believed(limited):
    app = limited(TRUSTED_PROXIES=1)
    # The client forges an address in front of its real one; the proxy appends the real one.
    forged = [f"10.0.0.{i}, 203.0.113.50" for i in range(1, 7)]
    assert _letters_from(app, forged) == [FILED] * 5 + [429]


def test_trusted_proxies_is_read_from_the_environment(monkeypatch):
    from casework.config import from_env

    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    assert from_env("/tmp")["TRUSTED_PROXIES"] == 0
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    assert from_env("/tmp")["TRUSTED_PROXIES"] == 1
    monkeypatch.setenv("TRUSTED_PROXIES", "-1")
    with pytest.raises(RuntimeError):
        from_env("/tmp")
