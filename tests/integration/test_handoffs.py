"""A notice for every hand-off: who hears of what (workflows/notices.py), written by the
job the after-commit pipeline queues, idempotent, repaired by reconciliation, and by
e-mail unless the user switched that kind off. On SQLite and PostgreSQL."""

import pytest
import sqlalchemy as sa

from casework import clock
from casework.extensions import db
from casework.jobs.worker import CaseworkSimpleWorker, make_worker
from casework.models import CaseEvent, Delivery, Notification, User
from casework.services import handoffs, intake, notifications
from tests.factories import act, build_world, letter, local, reload, with_third_unit
from tests.integration.deadline_helpers import drain


@pytest.fixture
def w(ctx):
    return with_third_unit(build_world())


def notify_all() -> None:
    handoffs.notify(db.session.scalars(sa.select(CaseEvent.id)).all(), clock.now())


def told(kind: str) -> dict[str, str]:
    """username -> message, of the notices of `kind`."""
    return dict(db.session.execute(sa.select(User.username, Notification.message)
                                   .join(User, User.id == Notification.user_id)
                                   .where(Notification.kind == kind)).all())


def test_every_hand_off_reaches_who_takes_the_next_step(w):
    w.zyx.requires_leader_approval = True
    db.session.commit()
    with clock.travel(local(2026, 3, 2, 9)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx", co_unit_codes=["hbj"])
        act(w.zyx_handler, c, "reject_assignment", reason="属于公安职责")
        act(w.dispatcher, c, "refuse_rejection", reason="属县政府管理")
        act(w.zyx_handler, c, "request_extension", days=2, reason="需现场核查")
        act(w.reviewer, c, "decide_extension", approve=True, due_date="2026-03-11")
        act(w.zyx_handler, c, "submit_reply", body="已处理。")
        act(w.zyx_leader, c, "approve_reply")
        act(w.reviewer, c, "return_reply", reason="off_topic")
        notify_all()
    assert set(told("assigned")) == {"zyx_handler", "zyx_leader"}
    assert "请于 2026-03-09 前答复" in told("assigned")["zyx_handler"]
    assert set(told("co_assigned")) == {"hbj_handler"}
    assert "由紫阳县人民政府主办" in told("co_assigned")["hbj_handler"]
    assert "2026-03-05 前提交协办意见" in told("co_assigned")["hbj_handler"]
    assert set(told("rejected")) == {"dispatcher"}  # letters: the 12345 centre
    assert "属于公安职责" in told("rejected")["dispatcher"]
    assert set(told("rejection_refused")) == {"zyx_handler", "zyx_leader"}
    assert "期限不变（2026-03-09）" in told("rejection_refused")["zyx_handler"]
    assert set(told("extension_requested")) == {"reviewer", "admin"}
    assert "延长 2 个工作日" in told("extension_requested")["reviewer"]
    assert "已批准，新的办理期限为 2026-03-11" in told("extension_decided")["zyx_handler"]
    assert set(told("approval")) == {"zyx_leader"}
    assert set(told("returned")) == {"zyx_handler", "zyx_leader"}
    assert "（答非所问）" in told("returned")["zyx_handler"]
    # The co-unit hears only of its own part; the office of its own.
    assert {n for n, in db.session.execute(sa.select(Notification.kind).where(
        Notification.user_id == w.hbj_handler.id))} == {"co_assigned"}


def test_findings_go_to_their_unit_and_their_rejections_to_the_office(w):
    with clock.travel(local(2026, 3, 2, 9)):
        finding = intake.create_case(w.reviewer, {"type": "finding", "subject": "5 个栏目更新不及时",
                                                  "body": "检查发现", "rectify_by": "2026-03-09",
                                                  "unit_code": "zyx"})
        act(w.zyx_handler, finding, "reject_assignment", reason="网站已移交")
        notify_all()
    assert set(told("finding")) == {"zyx_handler", "zyx_leader"} and not told("assigned")
    assert set(told("rejected")) == {"reviewer", "admin"}


def test_notices_are_written_once_and_swept_when_the_job_was_lost(w):
    with clock.travel(local(2026, 3, 2, 9)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx")
        # No worker ran the pipeline's job (as when Redis lost it): reconciliation sweeps.
        assert told("assigned") == {}
        assert handoffs.sweep(clock.now()) == 1
        assert handoffs.sweep(clock.now()) == 0
        notify_all()
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 2


def test_the_pipeline_queues_the_job_that_writes_them(app, w):
    with clock.travel(local(2026, 3, 2, 9)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx")
    make_worker(app, CaseworkSimpleWorker).work(burst=True)
    assert set(told("assigned")) == {"zyx_handler", "zyx_leader"}
    assert reload(c).unit.code == "zyx"


@pytest.fixture
def mail_app(backend, tmp_path, request):
    from tests.conftest import make_app
    app = make_app(backend, tmp_path, request, MAIL_SERVER="127.0.0.1", WEBHOOK_URL="http://127.0.0.1:9/hook")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_e_mail_follows_each_users_choice_and_the_centre_gets_the_webhook(mail_app):
    w = build_world()
    for user, address in ((w.zyx_handler, "zyx@example.gov.cn"), (w.zyx_leader, "leader@example.gov.cn"),
                          (w.dispatcher, "12345@example.gov.cn")):
        user.email = address
    db.session.commit()
    notifications.set_email_kinds(w.zyx_leader, {"returned"}, ["assigned", "returned"])
    with clock.travel(local(2026, 3, 2, 9)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code="zyx")
        act(w.zyx_handler, c, "reject_assignment", reason="属于公安职责")
        notify_all()
        notify_all()
    mails = db.session.execute(sa.select(Delivery.channel, Delivery.recipient, Delivery.subject)
                               .order_by(Delivery.id)).all()
    assert [(m.channel, m.recipient) for m in mails if m.channel == "email"] == [
        ("email", "zyx@example.gov.cn"), ("email", "12345@example.gov.cn")]
    assert [m.subject for m in mails if m.channel == "webhook"] == ["退单提醒"]
    # The leader still sees it in the app.
    assert set(told("assigned")) == {"zyx_handler", "zyx_leader"}


def test_drain_helper_is_shared(rq_app):
    # The deadline-job tests' worker helper runs the hand-off job too (real Redis).
    with rq_app.app_context():
        w = build_world()
        with clock.travel(local(2026, 3, 2, 9)):
            c = letter(w.dispatcher)
            act(w.dispatcher, c, "assign", unit_code="zyx")
    drain(rq_app)
    with rq_app.app_context():
        assert set(told("assigned")) == {"zyx_handler", "zyx_leader"}
        assert reload(c).state == "assigned"
