import sqlalchemy as sa

from casework.extensions import db, limiter
from casework.models import User
from tests.factories import PASSWORD


def test_login_redirects_each_role_home(world, browser):
    homes = {"zyx_handler": "/inbox", "reviewer": "/review", "dispatcher": "/dispatch",
             "admin": "/overview"}
    for username, home in homes.items():
        b = browser()
        b.get("/login")
        response = b.post("/login", {"username": username, "password": PASSWORD})
        assert response.status_code == 302 and response.location == home


def test_wrong_password_is_refused_in_chinese(world, browser):
    b = browser()
    b.get("/login")
    response = b.post("/login", {"username": "reviewer", "password": "wrong"})
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)
    unknown = b.post("/login", {"username": "nobody", "password": "wrong"})
    assert "用户名或密码错误" in unknown.get_data(as_text=True)  # same message: no user enumeration


def test_account_locks_after_five_failures(app, world, browser):
    b = browser()
    b.get("/login")
    for _ in range(5):
        b.post("/login", {"username": "reviewer", "password": "wrong"})
    locked = b.post("/login", {"username": "reviewer", "password": PASSWORD})
    assert locked.status_code == 401 and "账号已锁定" in locked.get_data(as_text=True)
    with app.app_context():
        u = db.session.scalar(sa.select(User).where(User.username == "reviewer"))
        assert u.locked_until is not None


def test_login_is_rate_limited_per_address(tmp_path, request):
    from tests.conftest import make_app
    from tests.web.conftest import Browser

    app = make_app("sqlite", tmp_path, request, RATELIMIT_ENABLED=True)
    limiter.reset()
    b = Browser(app.test_client())
    b.get("/login")
    responses = [b.post("/login", {"username": f"x{i}", "password": "p"}) for i in range(21)]
    limiter.reset()
    assert [r.status_code for r in responses] == [401] * 20 + [429]
    assert "操作过于频繁" in responses[20].get_data(as_text=True)


def test_passwords_are_hashed(app, world):
    with app.app_context():
        for u in db.session.scalars(sa.select(User)):
            assert PASSWORD not in u.password_hash and u.password_hash.startswith("pbkdf2:")


def test_next_only_redirects_within_the_site(world, browser):
    b = browser()
    b.get("/login")
    evil = b.post("/login", {"username": "reviewer", "password": PASSWORD, "next": "//evil.example/x"})
    assert evil.location == "/review"
    b2 = browser()
    b2.get("/login")
    ok = b2.post("/login", {"username": "reviewer", "password": PASSWORD, "next": "/overview"})
    assert ok.location == "/overview"


def test_logout_needs_post_with_csrf(world, browser):
    b = browser("reviewer")
    assert b.client.get("/logout").status_code == 405
    assert b.post("/logout", csrf=False).status_code == 400
    assert b.post("/logout").status_code == 302
    assert b.get("/review").status_code == 302  # signed out


def test_pages_need_login(client):
    for url in ("/inbox", "/review", "/dispatch", "/overview", "/cases/XJ-2026-000001"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location


def test_production_cookies_are_secure(monkeypatch):
    from casework import create_app

    monkeypatch.setenv("CASEWORK_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
