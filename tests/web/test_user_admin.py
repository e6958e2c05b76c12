"""User administration in the browser and the CLI: list, create, change role and unit,
disable, unlock (a locked account could not be unlocked by anyone), reset the password
(to be changed at the next sign-in), end sessions; every action audited."""

import re

import sqlalchemy as sa

from casework.extensions import db
from casework.models import User, UserEvent
from tests.factories import PASSWORD
from tests.web.test_sessions import copied_cookie, replay


def user(app, username):
    with app.app_context():
        u = db.session.scalar(sa.select(User).where(User.username == username))
        db.session.expunge(u)
        return u


def actions(app, username):
    with app.app_context():
        return [e.action for e in db.session.scalars(
            sa.select(UserEvent).join(User, User.id == UserEvent.user_id)
            .where(User.username == username).order_by(UserEvent.id))]


def lock(browser, username):
    b = browser()
    b.get("/login")
    for _ in range(5):
        b.post("/login", {"username": username, "password": "wrong"})
    assert "账号已锁定" in b.post("/login", {"username": username, "password": PASSWORD}).get_data(as_text=True)


def test_only_the_admin_manages_users(app, world, browser):
    assert browser("admin").get("/admin/users").status_code == 200
    for name in ("reviewer", "dispatcher", "zyx_handler"):
        assert browser(name).get("/admin/users").status_code == 403
        assert browser(name).post("/admin/users/gaj_handler/unlock").status_code == 403
    assert browser().get("/admin/users").status_code == 302  # to the sign-in page


def test_list_create_and_first_sign_in_changes_the_password(app, world, browser):
    admin = browser("admin")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "zyx_handler" in page and "紫阳县人民政府" in page and "用户管理" in page
    created = admin.post("/admin/users/new", {"username": "li_si", "display_name": "李四", "role": "unit_handler",
                                              "unit_code": "gaj", "password": "start-pass-1"})
    assert created.status_code == 303
    bad = admin.post("/admin/users/new", {"username": "x y", "role": "unit_handler", "password": "short"})
    assert bad.status_code == 400 and "用户名应为" in bad.get_data(as_text=True)
    newcomer = browser()
    newcomer.get("/login")
    assert newcomer.post("/login", {"username": "li_si", "password": "start-pass-1"}).location == "/account/password"
    assert newcomer.get("/inbox").location == "/account/password"  # nothing else until it is changed
    newcomer.get("/account/password")
    assert newcomer.post("/account/password", {"current": "start-pass-1", "new": "own-pass-99",
                                               "confirm": "own-pass-99"}).status_code == 303
    assert newcomer.get("/inbox").status_code == 200
    assert actions(app, "li_si") == ["create", "change_password"]


def test_unlock_a_locked_account(app, world, browser):
    lock(browser, "gaj_handler")
    admin = browser("admin")
    assert "已锁定" in admin.get("/admin/users").get_data(as_text=True)
    assert admin.post("/admin/users/gaj_handler/unlock").status_code == 303
    assert browser("gaj_handler").get("/inbox").status_code == 200
    assert actions(app, "gaj_handler") == ["unlock"]


def test_reset_password_shows_it_once_and_ends_sessions(app, world, browser):
    cookie = copied_cookie(browser("zyx_handler"))
    admin = browser("admin")
    page = admin.post("/admin/users/zyx_handler/reset-password").get_data(as_text=True)
    temporary = re.search(r'临时密码：<b class="code">([a-z2-9]{12})</b>', page).group(1)
    assert replay(app, cookie).status_code == 302
    assert user(app, "zyx_handler").must_change_password
    b = browser()
    b.get("/login")
    assert b.post("/login", {"username": "zyx_handler", "password": temporary}).location == "/account/password"
    assert temporary not in admin.get("/admin/users/zyx_handler").get_data(as_text=True)


def test_change_role_and_unit_disable_and_enable(app, world, browser):
    cookie = copied_cookie(browser("zyx_handler"))
    admin = browser("admin")
    assert admin.post("/admin/users/zyx_handler/role", {"role": "unit_leader", "unit_code": "gaj"}).status_code == 303
    moved = user(app, "zyx_handler")
    assert (moved.role, moved.unit_id) == ("unit_leader", user(app, "gaj_handler").unit_id)
    assert replay(app, cookie).status_code == 302  # what it could see has changed
    refused = admin.post("/admin/users/zyx_handler/role", {"role": "unit_leader", "unit_code": ""},
                         follow_redirects=True)
    assert "单位角色必须指定" in refused.get_data(as_text=True)
    assert admin.post("/admin/users/zyx_handler/disable").status_code == 303
    b = browser()
    b.get("/login")
    assert b.post("/login", {"username": "zyx_handler", "password": PASSWORD}).status_code == 401
    assert admin.post("/admin/users/zyx_handler/enable").status_code == 303
    assert browser("zyx_handler").get("/inbox").status_code == 200
    assert actions(app, "zyx_handler") == ["change_role", "disable", "enable"]
    events = admin.get("/admin/users/zyx_handler").get_data(as_text=True)
    assert "调整角色/单位" in events and "停用" in events and "admin" in events


def test_the_admin_cannot_lock_themselves_out(app, world, browser):
    admin = browser("admin")
    refused = admin.post("/admin/users/admin/disable", follow_redirects=True)
    assert "不能停用自己的账号" in refused.get_data(as_text=True)
    assert user(app, "admin").active and admin.get("/admin/users").status_code == 200


def test_the_cli(app, world):
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["users", "list"])
    assert listed.exit_code == 0 and "zyx_handler" in listed.output and "unit_handler" in listed.output
    assert runner.invoke(args=["users", "set-role", "reviewer", "--role", "dispatcher"]).exit_code == 0
    assert runner.invoke(args=["users", "disable", "reviewer"]).exit_code == 0
    assert "disabled" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "enable", "reviewer"]).exit_code == 0
    reset = runner.invoke(args=["users", "reset-password", "reviewer"])
    assert reset.exit_code == 0 and "temporary password for reviewer" in reset.output
    assert runner.invoke(args=["users", "unlock", "reviewer"]).exit_code == 0
    assert runner.invoke(args=["users", "end-sessions", "reviewer"]).exit_code == 0
    missing = runner.invoke(args=["users", "unlock", "nobody"])
    assert missing.exit_code == 1 and "不存在" in missing.output
    assert actions(app, "reviewer") == ["change_role", "disable", "enable", "reset_password", "unlock",
                                        "end_sessions"]
    with app.app_context():  # the CLI's actor is the system, recorded as no user
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UserEvent)
                                 .where(UserEvent.actor_id.is_not(None))) == 0
