"""Sessions end on the server: a session cookie copied before logout, a password change,
disabling the user or "end all sessions" no longer opens any page when replayed."""

import sqlalchemy as sa

from casework.extensions import db
from casework.models import User
from casework.permissions import SYSTEM_ACTOR
from casework.services import user_admin
from tests.factories import PASSWORD
from tests.web.conftest import Browser


def copied_cookie(b: Browser) -> str:
    return b.client.get_cookie("session").value


def replay(app, cookie: str, url: str = "/inbox"):
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get(url)


def test_the_cookie_works_while_signed_in(app, world, browser):
    b = browser("zyx_handler")
    assert replay(app, copied_cookie(b)).status_code == 200


def test_logout_ends_the_session_on_the_server(app, world, browser):
    b = browser("zyx_handler")
    cookie = copied_cookie(b)
    assert b.post("/logout").status_code == 302
    response = replay(app, cookie)
    assert response.status_code == 302 and "/login" in response.location


def test_password_change_ends_other_sessions_but_not_this_one(app, world, browser):
    b, other = browser("zyx_handler"), browser("zyx_handler")
    cookie = copied_cookie(other)
    b.get("/account/password")
    changed = b.post("/account/password", {"current": PASSWORD, "new": "new-pass-2026", "confirm": "new-pass-2026"})
    assert changed.status_code == 303
    assert b.get("/inbox").status_code == 200  # the browser that changed it stays signed in
    assert replay(app, cookie).status_code == 302


def test_disabling_a_user_ends_the_session(app, world, browser):
    cookie = copied_cookie(browser("zyx_handler"))
    with app.app_context():
        user_admin.set_active(SYSTEM_ACTOR, "zyx_handler", False)
    assert replay(app, cookie).status_code == 302


def test_end_all_sessions(app, world, browser):
    cookies = [copied_cookie(browser("reviewer")) for _ in range(2)]
    with app.app_context():
        user_admin.end_sessions(SYSTEM_ACTOR, "reviewer")
    assert [replay(app, c, "/review").status_code for c in cookies] == [302, 302]
    assert browser("reviewer").get("/review").status_code == 200  # signing in again works


def test_the_version_lives_on_the_user(app, world, browser):
    b = browser("admin")
    with app.app_context():
        before = db.session.scalar(sa.select(User.session_version).where(User.username == "admin"))
    b.post("/logout")
    with app.app_context():
        after = db.session.scalar(sa.select(User.session_version).where(User.username == "admin"))
    assert after == before + 1


def test_a_change_by_sql_by_hand_reaches_the_kept_user_at_once(app, world, browser):
    """Each process keeps signed-in users between requests (services/kept_users): the
    triggers behind the counters it checks see every change, not only the app's."""
    b = browser("zyx_handler")
    assert "紫阳县人民政府" in b.get("/inbox").get_data(as_text=True)  # kept from here on
    with app.app_context():
        db.session.execute(sa.text("UPDATE units SET name = '紫阳县政府' WHERE code = 'zyx'"))
        db.session.commit()
    page = b.get("/inbox").get_data(as_text=True)
    assert "紫阳县政府" in page and "紫阳县人民政府" not in page
    with app.app_context():
        db.session.execute(sa.text("UPDATE users SET active = false WHERE username = 'zyx_handler'"))
        db.session.commit()
    assert b.get("/inbox").status_code == 302


def test_a_logout_in_one_process_ends_the_session_in_another(backend, tmp_path, request):
    from tests.conftest import make_app
    from tests.factories import build_world

    first, second = make_app(backend, tmp_path, request), make_app(backend, tmp_path, request)
    with first.app_context():
        build_world()
    b = Browser(first.test_client())
    b.login("zyx_handler")
    cookie = copied_cookie(b)
    assert replay(second, cookie).status_code == 200  # the second process keeps the user now
    assert b.post("/logout").status_code == 302  # in the first
    assert replay(second, cookie).status_code == 302
    for app in (first, second):
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _sets_session(response) -> bool:
    return any(h.startswith("session=") for h in response.headers.getlist("Set-Cookie"))


def test_a_late_answer_to_a_read_cannot_undo_what_a_later_request_wrote(app, world, browser):
    """Reads do not send the session back: a read started before a write and answered
    after it (the letter form's suggestions while it is posted) would otherwise set the
    cookie to the session it started with, and the write would be lost (the confirmation
    with its query code, or a sign-in)."""
    citizen = browser()
    citizen.get("/letters/new")
    for url in ("/letters/new", "/", "/letters", "/letters/query", "/stats", "/knowledge"):
        assert not _sets_session(citizen.get(url)), url
    assert not _sets_session(citizen.get("/knowledge/suggest?subject=新桥社区", headers={"HX-Request": "true"}))
    clerk = browser("zyx_handler")
    for url in ("/inbox", "/search", "/knowledge/manage"):
        response = clerk.get(url)
        assert response.status_code == 200 and not _sets_session(response), url
    assert replay(app, copied_cookie(clerk)).status_code == 200  # still signed in
