"""The navigation counts and the calendar are cached in Redis: the cache must never show
what a committed change made untrue (beyond the minute a passing deadline may take), in
this process or another one, and pages must work without Redis."""

from __future__ import annotations

import re
from datetime import date

import pytest

from casework import calendar, clock
from casework.extensions import db
from casework.permissions import SYSTEM_ACTOR
from casework.services import calendar_admin, notifications, watch
from tests.conftest import make_app
from tests.factories import build_world, local
from tests.web.conftest import Browser
from tests.web.helpers import new_letter, user


def count(page: str, label: str) -> int:
    return int(re.search(rf'{label} <b class="count[^"]*">(\d+)</b>', page).group(1))


def unread(page: str) -> int:
    m = re.search(r'通知 <b class="count danger">(\d+)</b>', page)
    return int(m.group(1)) if m else 0


def test_counts_follow_other_users_changes_at_once(app, world, browser):
    new_letter(app, assign_to="zyx")
    handler = browser("zyx_handler")
    assert count(handler.get("/inbox").get_data(as_text=True), "待办") == 1  # now cached

    second = new_letter(app, assign_to="zyx")  # the dispatcher, in another session
    assert count(handler.get("/inbox").get_data(as_text=True), "待办") == 2

    reviewer = browser("reviewer")
    queue = reviewer.get("/review").get_data(as_text=True)
    assert count(queue, "审核") == 0 and "共 0 件待审核" in queue
    handler.post(f"/cases/{second}/events/reply", {"body": "已联系水务公司，明日恢复供水。"})
    assert count(handler.get("/inbox").get_data(as_text=True), "待办") == 1
    queue = reviewer.get("/review").get_data(as_text=True)  # the queue's size is the cached count
    assert count(queue, "审核") == 1 and "共 1 件待审核" in queue

    with app.app_context():  # reassigned: the unit it left and the one it joined
        from casework.services import case_actions
        first = new_letter(app, assign_to="zyx")
        case_actions.perform(user("dispatcher"), first, "reassign", {"unit_code": "gaj", "reason": "职责不符"})
    assert count(handler.get("/inbox").get_data(as_text=True), "待办") == 1
    assert count(browser("gaj_handler").get("/inbox").get_data(as_text=True), "待办") == 1


def test_counts_move_with_the_clock_within_a_minute(app, world, browser):
    with clock.travel(local(2026, 11, 16, 9)):
        new_letter(app, assign_to="zyx")  # due 2026-11-23 24:00 (5 working days)
    handler = browser("zyx_handler")
    with clock.travel(local(2026, 11, 23, 23, 59, 30)):
        assert count(handler.get("/inbox").get_data(as_text=True), "已超期") == 0
    with clock.travel(local(2026, 11, 24, 0, 0, 30)):  # nothing was written in between
        assert count(handler.get("/inbox").get_data(as_text=True), "已超期") == 1


def test_unread_count_follows_notifications_written_in_bulk(app, world, browser):
    with clock.travel(local(2026, 11, 16, 9)):
        new_letter(app, assign_to="zyx")
    handler = browser("zyx_handler")
    with clock.travel(local(2026, 11, 24, 9)):
        assert unread(handler.get("/inbox").get_data(as_text=True)) == 0
        with app.app_context():
            assert watch.mark_overdue(clock.now())  # the job: set-based UPDATE and bulk INSERT
        assert unread(handler.get("/inbox").get_data(as_text=True)) == 1
        with app.app_context():
            notifications.mark_all_read(user("zyx_handler").id)
        assert unread(handler.get("/inbox").get_data(as_text=True)) == 0


def test_a_calendar_change_reaches_every_process(backend, tmp_path, request, redis_url):
    """Two app objects on one database and one Redis are two gunicorn workers."""
    first = make_app(backend, tmp_path, request, REDIS_URL=redis_url)
    second = make_app(backend, tmp_path, request, REDIS_URL=redis_url)
    holiday = date(2026, 11, 23)  # a Monday
    with second.app_context():
        assert calendar.is_working_day(holiday)  # loaded and kept by the second process
    with first.app_context():
        calendar_admin.set_override(SYSTEM_ACTOR, holiday, False, "临时放假")
    with second.app_context():
        assert not calendar.is_working_day(holiday)
        assert calendar.status(holiday).note == "临时放假"


def test_counts_cached_by_one_process_are_dropped_by_another(backend, tmp_path, request, redis_url):
    web = make_app(backend, tmp_path, request, REDIS_URL=redis_url)
    worker = make_app(backend, tmp_path, request, REDIS_URL=redis_url)
    with web.app_context():
        build_world()
    new_letter(web, assign_to="zyx")
    handler = Browser(web.test_client())
    handler.login("zyx_handler")
    assert count(handler.get("/inbox").get_data(as_text=True), "待办") == 1
    new_letter(worker, assign_to="zyx")
    assert count(handler.get("/inbox").get_data(as_text=True), "待办") == 2


@pytest.mark.parametrize("backend", ["sqlite"])
def test_pages_work_without_redis(backend, tmp_path, request):
    app = make_app(backend, tmp_path, request, REDIS_URL="redis://127.0.0.1:1/0")
    with app.app_context():
        build_world()
        # Letters cannot be assigned without Redis (their deadline jobs): assign in the
        # database's own terms, as a restored backup would hold them.
        from tests.factories import letter
        case = letter(user("dispatcher"))
        case.state, case.unit_id = "assigned", user("zyx_handler").unit_id
        db.session.commit()
    handler = Browser(app.test_client())
    handler.login("zyx_handler")
    page = handler.get("/inbox")
    assert page.status_code == 200
    assert count(page.get_data(as_text=True), "待办") == 1
