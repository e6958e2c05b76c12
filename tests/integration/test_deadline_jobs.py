"""Deadline enforcement with RQ: real Redis, a real worker in burst mode with the
scheduler, and time-machine moving the clock. Runs on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from casework.extensions import db
from casework.jobs import schedule, tasks
from casework.jobs.connection import queue
from casework.jobs.reconcile import run as reconcile
from casework.models import Case, CaseEvent, Notification
from casework.redis_connection import redis_for
from casework.services import case_actions
from tests.factories import build_world, letter, local
from tests.integration.deadline_helpers import (
    act,
    assign,
    at,
    case_of,
    drain,
    events,
    notified,
    scheduled,
)
from workflows.clock import end_of_day


@pytest.fixture
def world(rq_app):
    with rq_app.app_context():
        w = build_world()
        return {name: getattr(w, name).id for name in vars(w)}


def test_assignment_schedules_the_three_jobs(rq_app, world):
    # A 找错 message assigned Monday 2025-09-29: 2 working days → due end of 2025-10-09.
    number = assign(rq_app, world, local(2025, 9, 29, 10), channel="zhaocuo")
    case = case_of(rq_app, number)
    assert case.due_at == end_of_day(date(2025, 10, 9))
    # The reminder is 08:30 of the working day before, across the Golden Week holiday.
    assert case.remind_at == local(2025, 9, 30, 8, 30)
    assert case.escalate_at == end_of_day(date(2025, 10, 11))  # 10-10, 10-11 (make-up Saturday)
    assert scheduled(rq_app) == {schedule.job_id(case.id, "remind", case.remind_at),
                                 schedule.job_id(case.id, "overdue", case.due_at),
                                 schedule.job_id(case.id, "escalate", case.escalate_at)}


def test_reminder_fires_on_the_right_working_day(rq_app, world):
    number = assign(rq_app, world, local(2025, 9, 29, 10), channel="zhaocuo")
    with at(local(2025, 9, 30, 8, 29)):
        drain(rq_app)
    assert notified(rq_app, number, "reminder") == set()
    with at(local(2025, 9, 30, 8, 31)):
        drain(rq_app)
    assert notified(rq_app, number, "reminder") == {"zyx_handler", "zyx_leader"}
    assert case_of(rq_app, number).reminded_at is not None
    with at(local(2025, 9, 30, 9)), rq_app.app_context():
        tasks.remind(case_of(rq_app, number).id, local(2025, 9, 30, 8, 30).isoformat())
    with rq_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.kind == "reminder")) == 2  # the second run notified nobody again


def test_overdue_is_marked_exactly_once(rq_app, world):
    number = assign(rq_app, world, local(2025, 9, 29, 10), channel="zhaocuo")
    case = case_of(rq_app, number)
    with at(local(2025, 10, 9, 23, 59)):
        drain(rq_app)
    assert case_of(rq_app, number).overdue is False
    with at(local(2025, 10, 10, 0, 0, 1)):
        drain(rq_app)
        with rq_app.app_context():
            tasks.mark_overdue(case.id, case.due_at.isoformat())  # a duplicate run
            reconcile(local(2025, 10, 10, 0, 0, 2))
    marked = case_of(rq_app, number)
    assert (marked.overdue, marked.overdue_at, marked.state) == (True, case.due_at, "assigned")
    assert marked.version == case.version + 1
    assert events(rq_app, number, "mark_overdue") == 1
    assert notified(rq_app, number, "overdue") == {"zyx_handler", "zyx_leader", "reviewer", "admin"}


def test_a_reply_before_the_due_date_cancels_the_jobs(rq_app, world):
    number = assign(rq_app, world, local(2025, 9, 29, 10), channel="zhaocuo")
    case = case_of(rq_app, number)
    act(rq_app, "zyx_handler", number, "reply", local(2025, 10, 9, 15), body="已修复链接")
    assert scheduled(rq_app) == set()
    with at(local(2025, 10, 15, 9)):
        drain(rq_app)
        with rq_app.app_context():  # a job that survived the cancel does nothing either
            tasks.mark_overdue(case.id, case.due_at.isoformat())
            tasks.escalate(case.id, case.escalate_at.isoformat())
    after = case_of(rq_app, number)
    assert (after.overdue, after.escalated_at, after.state) == (False, None, "replied")
    assert events(rq_app, number, "mark_overdue") == 0


def test_a_return_schedules_the_three_day_clock(rq_app, world):
    number = assign(rq_app, world, local(2025, 9, 26, 10))
    act(rq_app, "zyx_handler", number, "reply", local(2025, 9, 30, 10), body="已转交")
    act(rq_app, "reviewer", number, "return_reply", local(2025, 10, 9, 10), reason="buck_passing")
    case = case_of(rq_app, number)
    assert case.due_at == end_of_day(date(2025, 10, 13))
    assert schedule.job_id(case.id, "overdue", case.due_at) in scheduled(rq_app)
    assert len(scheduled(rq_app)) == 3
    with at(local(2025, 10, 14, 0, 0, 1)):
        drain(rq_app)
    assert case_of(rq_app, number).overdue is True


def test_an_extension_moves_the_jobs(rq_app, world):
    number = assign(rq_app, world, local(2026, 3, 2, 9))
    old = case_of(rq_app, number)
    act(rq_app, "zyx_handler", number, "request_extension", local(2026, 3, 3, 9), days=5, reason="会商")
    act(rq_app, "reviewer", number, "decide_extension", local(2026, 3, 3, 10), approve="1",
        due_date="2026-03-16")
    new = case_of(rq_app, number)
    assert new.due_at == end_of_day(date(2026, 3, 16))
    jobs = scheduled(rq_app)
    assert schedule.job_id(old.id, "overdue", old.due_at) not in jobs
    assert schedule.job_id(new.id, "overdue", new.due_at) in jobs
    assert schedule.job_id(new.id, "remind", local(2026, 3, 13, 8, 30)) in jobs
    with at(local(2026, 3, 10, 0, 0, 1)):  # the old due moment passes: nothing happens
        drain(rq_app)
    assert case_of(rq_app, number).overdue is False


def test_escalation_after_two_working_days_notifies_the_superior(rq_app, world):
    from casework.permissions import SYSTEM_ACTOR
    from casework.services import accounts

    with rq_app.app_context():
        accounts.create_unit(SYSTEM_ACTOR, "hjj", "安康市公安局打拐办", "department", parent_code="gaj")
        accounts.create_user(SYSTEM_ACTOR, "hjj_handler", "unit_handler", "secret-pass-1", unit_code="hjj")
    with rq_app.app_context(), at(local(2026, 3, 2, 9)):
        from casework.models import User
        dispatcher = db.session.scalar(sa.select(User).where(User.username == "dispatcher"))
        number = letter(dispatcher).number
        case_actions.perform(dispatcher, number, "assign", {"unit_code": "hjj"})
    with at(local(2026, 3, 10, 9)):  # overdue since 03-10 00:00, not yet escalated
        drain(rq_app)
    assert case_of(rq_app, number).overdue and case_of(rq_app, number).escalated_at is None
    with at(local(2026, 3, 12, 0, 0, 1)):  # 03-10, 03-11 later
        drain(rq_app)
    case = case_of(rq_app, number)
    assert case.escalated_at is not None and events(rq_app, number, "escalate") == 1
    assert notified(rq_app, number, "escalated") == {"hjj_handler", "gaj_leader", "reviewer", "admin"}


def test_flushall_loses_no_deadline(rq_app, world):
    # The app keeps everything in its one Redis database, so emptying it is what FLUSHALL
    # does to the app; a real FLUSHALL would also wipe the other test runs on this server.
    past = assign(rq_app, world, local(2026, 3, 2, 9))                # due 03-09
    future = assign(rq_app, world, local(2026, 3, 9, 9))              # due 03-16
    with rq_app.app_context():
        redis_for().flushdb()
    assert scheduled(rq_app) == set()
    with at(local(2026, 3, 10, 8)), rq_app.app_context():
        report = reconcile(local(2026, 3, 10, 8))
    assert report["overdue"] == 1 and report["rescheduled"] >= 2
    assert case_of(rq_app, past).overdue is True
    f = case_of(rq_app, future)
    assert {schedule.job_id(f.id, "overdue", f.due_at),
            schedule.job_id(f.id, "remind", f.remind_at)} <= scheduled(rq_app)
    with at(local(2026, 3, 17, 0, 0, 1)):
        drain(rq_app)
    assert case_of(rq_app, future).overdue is True
    with at(local(2026, 3, 17, 0, 0, 2)), rq_app.app_context():
        assert reconcile(local(2026, 3, 17, 0, 0, 2))["rescheduled"] == 0  # nothing left to repair


def test_redis_down_keeps_the_users_change(tmp_path, request):
    from tests.conftest import make_app

    app = make_app("sqlite", tmp_path, request, REDIS_URL="redis://127.0.0.1:1/0")
    with app.app_context():
        w = build_world()
        number = letter(w.dispatcher).number
        case_actions.perform(w.dispatcher, number, "assign", {"unit_code": "zyx"})  # no exception
        assert db.session.scalar(sa.select(Case.state).where(Case.number == number)) == "assigned"


def test_two_workers_never_escalate_twice(pg_app, redis_url):
    import threading

    pg_app.config["REDIS_URL"] = redis_url
    with pg_app.app_context(), at(local(2026, 3, 2, 9)):
        w = build_world()
        number = letter(w.dispatcher).number
        case_actions.perform(w.dispatcher, number, "assign", {"unit_code": "zyx"})
        case = db.session.scalar(sa.select(Case).where(Case.number == number))
        case_id, escalate_at = case.id, case.escalate_at
    barrier = threading.Barrier(4)
    results = []

    def run():
        with pg_app.app_context(), at(local(2026, 3, 12, 9)):
            barrier.wait()
            results.append(tasks.escalate(case_id, escalate_at.isoformat()))
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]
    with pg_app.app_context():
        counts = dict(db.session.execute(sa.select(CaseEvent.event, sa.func.count()).where(
            CaseEvent.case_id == case_id).group_by(CaseEvent.event)).all())
    assert counts["escalate"] == 1 and counts["mark_overdue"] == 1


def test_worker_runs_jobs_in_the_app_context(rq_app, world):
    with rq_app.app_context():
        job = queue().enqueue("casework.jobs.tasks.reconcile")
    drain(rq_app)
    with rq_app.app_context():
        job.refresh()
        assert job.is_finished and set(job.return_value()) >= {"overdue", "rescheduled"}


def test_late_job_for_an_old_due_date_is_harmless(rq_app, world):
    number = assign(rq_app, world, local(2026, 3, 2, 9))
    case = case_of(rq_app, number)
    act(rq_app, "reviewer", number, "extend", local(2026, 3, 3, 9), due_date="2026-03-20", reason="调整")
    with at(local(2026, 3, 12, 9)), rq_app.app_context():
        assert tasks.mark_overdue(case.id, case.due_at.isoformat()) == []
        assert tasks.escalate(case.id, case.escalate_at.isoformat()) == []
    assert case_of(rq_app, number).overdue is False


def test_timestamps_of_jobs_are_aware(rq_app, world):
    number = assign(rq_app, world, local(2026, 3, 2, 9))
    case = case_of(rq_app, number)
    with rq_app.app_context():
        job = queue().fetch_job(schedule.job_id(case.id, "overdue", case.due_at))
        assert datetime.fromisoformat(job.args[1]) == case.due_at
        assert job.args[1].endswith("+00:00")
    assert case.due_at == datetime(2026, 3, 9, 16, tzinfo=UTC)  # 24:00 Beijing of 03-09


def test_embedded_worker_enforces_deadlines_without_redis(tmp_path, request):
    """The demo's path: no REDIS_URL, fakeredis in-process, the worker in a thread."""
    import time

    from casework import clock
    from casework.jobs.worker import EmbeddedWorker
    from casework.redis_connection import is_embedded
    from tests.conftest import make_app

    app = make_app("sqlite", tmp_path, request)
    assert is_embedded(app)
    with app.app_context(), clock.travel(local(2026, 3, 2, 9)):  # due 03-09, long past
        w = build_world()
        number = letter(w.dispatcher).number
        case_actions.perform(w.dispatcher, number, "assign", {"unit_code": "zyx"})
    worker = EmbeddedWorker(app, tick=0.1)
    worker.start()
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not case_of(app, number).overdue:
            time.sleep(0.1)
    finally:
        worker.stop()
        worker.join(5)
    assert case_of(app, number).overdue is True
    assert events(app, number, "mark_overdue") == 1


def test_a_sweep_sends_the_office_one_summary_and_each_unit_its_cases(rq_app, world):
    numbers = [assign(rq_app, world, local(2026, 3, 2, 9)) for _ in range(3)]
    with rq_app.app_context():
        redis_for().flushdb()  # the exact-moment jobs are lost: the sweep does it all
        reconcile(local(2026, 3, 10, 9))
    for number in numbers:
        assert notified(rq_app, number, "overdue") == {"zyx_handler", "zyx_leader"}
    with rq_app.app_context():
        from casework.models import User
        office = db.session.scalars(sa.select(Notification.message).join(User).where(
            User.username == "reviewer", Notification.kind == "overdue")).all()
    assert len(office) == 1 and "本次共 3 件" in office[0] and all(n in office[0] for n in numbers)


def test_expected_jobs_compare_moments_exactly(rq_app, world):
    """The id stream binds `now` through the column type on every backend: a job due at
    exactly `now` is not future, one a second later is."""
    from casework.jobs.reconcile import expected_jobs

    number = assign(rq_app, world, local(2026, 3, 2, 9))
    case = case_of(rq_app, number)
    with rq_app.app_context():
        at_due = [j for chunk in expected_jobs(case.due_at) for j in chunk]
        before_due = [j for chunk in expected_jobs(case.due_at - timedelta(seconds=1)) for j in chunk]
    assert schedule.job_id(case.id, "overdue", case.due_at) not in at_due
    assert schedule.job_id(case.id, "overdue", case.due_at) in before_due
    assert schedule.job_id(case.id, "escalate", case.escalate_at) in at_due


def test_jobs_are_scheduled_in_one_round_trip_and_only_once(rq_app):
    from rq.job import Job

    due = datetime(2026, 3, 9, 16, 0, tzinfo=UTC)
    jobs = [(7, "overdue", due), (7, "remind", due - timedelta(hours=40))]
    with rq_app.app_context():
        q = queue()
        assert schedule.add_many(jobs, q) == 2
        assert schedule.add_many(jobs + [(8, "overdue", due)], q) == 1  # only the new one
        registry = q.scheduled_job_registry
        assert registry.get_scheduled_time(schedule.job_id(7, "overdue", due)) == due
        job = Job.fetch(schedule.job_id(7, "overdue", due), connection=q.connection)
        assert job.func_name == "casework.jobs.tasks.mark_overdue" and job.args == (7, due.isoformat())
        assert scheduled(rq_app) == {schedule.job_id(*j) for j in jobs + [(8, "overdue", due)]}


def test_one_sweep_reminds_many_cases_and_tells_the_group_once(rq_app, world):
    """Found by running the demo: a reconciliation that reminded two cases at once failed
    (no summary text for reminders), and took the overdue marking down with it."""
    rq_app.config["WEBHOOK_URL"] = "http://127.0.0.1:1/hook"
    first = assign(rq_app, world, local(2025, 9, 29, 10), channel="zhaocuo")
    second = assign(rq_app, world, local(2025, 9, 29, 11), channel="zhaocuo")
    late = assign(rq_app, world, local(2025, 9, 1, 10), channel="zhaocuo")  # due 09-03
    with at(local(2025, 9, 30, 9)), rq_app.app_context():
        redis_for().flushdb()  # no exact-moment jobs: the sweep must do it all
        report = reconcile(local(2025, 9, 30, 9))
    assert report["reminded"] == 2 and report["overdue"] == 1
    assert notified(rq_app, first, "reminder") == notified(rq_app, second, "reminder") == {"zyx_handler", "zyx_leader"}
    assert case_of(rq_app, late).overdue is True
    from casework.models import Delivery
    with rq_app.app_context():
        hooks = db.session.scalars(sa.select(Delivery.body).where(Delivery.channel == "webhook")).all()
    reminder_hooks = [h for h in hooks if h.startswith("【即将到期】")]
    assert len(reminder_hooks) == 1 and first in reminder_hooks[0] and second in reminder_hooks[0]


def test_a_failing_sweep_step_does_not_stop_the_others(rq_app, world, monkeypatch):
    from casework.services import watch

    late = assign(rq_app, world, local(2025, 9, 1, 10), channel="zhaocuo")  # due 09-03

    def broken(now, *args, **kwargs):
        raise RuntimeError("reminders are broken")

    monkeypatch.setattr(watch, "remind", broken)
    with at(local(2025, 9, 30, 9)), rq_app.app_context(), pytest.raises(RuntimeError, match="broken"):
        reconcile(local(2025, 9, 30, 9))
    assert case_of(rq_app, late).overdue is True  # marked although the reminder step failed


@pytest.mark.parametrize("how", ["hash_gone", "status_gone"])
def test_a_job_that_vanished_from_redis_does_not_stop_a_change(rq_app, world, how):
    """A deadline job can disappear under us (expired, or deleted by a worker at the
    same moment, which leaves its hash without a status). Moving the due date must still
    succeed, drop the vanished job from the schedule and schedule the new ones."""
    number = assign(rq_app, world, local(2026, 3, 2, 9))
    old = case_of(rq_app, number)
    gone = schedule.job_id(old.id, "overdue", old.due_at)
    with rq_app.app_context():
        key = f"rq:job:{gone}"
        if how == "hash_gone":
            redis_for().delete(key)
        else:
            redis_for().hdel(key, "status")
    act(rq_app, "zyx_handler", number, "request_extension", local(2026, 3, 3, 9), days=5, reason="会商")
    act(rq_app, "reviewer", number, "decide_extension", local(2026, 3, 3, 10), approve="1",
        due_date="2026-03-16")
    new = case_of(rq_app, number)
    assert new.due_at == end_of_day(date(2026, 3, 16))
    assert scheduled(rq_app) == {schedule.job_id(new.id, "remind", new.remind_at),
                                 schedule.job_id(new.id, "overdue", new.due_at),
                                 schedule.job_id(new.id, "escalate", new.escalate_at)}
