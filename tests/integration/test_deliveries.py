"""Notifications leaving the system: a webhook (WeCom/DingTalk robot JSON) and SMTP
e-mail, real servers on loopback, real Redis and worker."""

import email
import email.policy
import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from casework.extensions import db
from casework.models import Delivery, Unit, User
from tests.conftest import make_app
from tests.factories import build_world, local
from tests.integration.deadline_helpers import assign, at, case_of, drain


class Hook(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Hook.received.append(json.loads(body))
        self.send_response(Hook.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    Hook.received, Hook.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/robot/send?key=test", Hook
    server.shutdown()


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's naming
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message["Subject"] + "\n" + message.get_content()))
        return "250 OK"


@pytest.fixture
def smtp():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


@pytest.fixture
def app_with(backend, tmp_path, request, redis_url):
    apps = []

    def make(**config):
        app = make_app(backend, tmp_path, request, REDIS_URL=redis_url, **config)
        with app.app_context():
            build_world()
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def world_ids(app):
    with app.app_context():
        return {u.username: u.id for u in db.session.scalars(sa.select(User))}


def test_webhook_waits_for_office_hours_and_sends_once(app_with, webhook):
    url, hook = webhook
    app = app_with(WEBHOOK_URL=url)
    number = assign(app, world_ids(app), local(2026, 3, 2, 9))     # due end of Monday 03-09
    with at(local(2026, 3, 10, 0, 0, 1)):                         # overdue at midnight
        drain(app)
    assert case_of(app, number).overdue is True
    assert hook.received == []                                    # nothing at night
    with app.app_context():
        delivery = db.session.scalar(sa.select(Delivery))
        assert delivery.not_before == local(2026, 3, 10, 8, 30)
    with at(local(2026, 3, 10, 8, 31)):
        drain(app)
        drain(app)
    assert len(hook.received) == 1
    message = hook.received[0]
    assert message["msgtype"] == "text" and number in message["text"]["content"]
    assert "已超期" in message["text"]["content"]


def test_a_failed_delivery_is_retried_and_never_undoes_the_overdue(app_with, webhook):
    url, hook = webhook
    hook.status = 500
    app = app_with(WEBHOOK_URL=url)
    number = assign(app, world_ids(app), local(2026, 3, 2, 9))
    with at(local(2026, 3, 10, 9)):
        drain(app)
    assert case_of(app, number).overdue is True                   # the main effect stands
    with app.app_context():
        delivery = db.session.scalar(sa.select(Delivery))
        assert delivery.sent_at is None and delivery.attempts == 1 and "500" in delivery.last_error
    hook.status = 200
    with at(local(2026, 3, 10, 9) + timedelta(seconds=61)):      # RQ's Retry interval
        drain(app)
    with app.app_context():
        delivery = db.session.scalar(sa.select(Delivery))
        assert delivery.sent_at is not None and delivery.attempts == 2
    assert len(hook.received) == 2                                # one 500, one delivered


def test_email_per_case_and_a_daily_digest_for_digest_units(app_with, smtp):
    port, inbox = smtp
    app = app_with(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(sa.select(User))}
        users["zyx_handler"].email = "zyx@example.gov.cn"
        users["gaj_handler"].email = "gaj@example.gov.cn"
        db.session.scalar(sa.select(Unit).where(Unit.code == "gaj")).notify_digest = True
        db.session.commit()
    ids = world_ids(app)
    zyx_case = assign(app, ids, local(2026, 3, 2, 9))
    with app.app_context(), at(local(2026, 3, 2, 9)):
        from casework.services import case_actions
        from tests.factories import letter
        dispatcher = db.session.get(User, ids["dispatcher"])
        gaj_case = letter(dispatcher).number
        case_actions.perform(dispatcher, gaj_case, "assign", {"unit_code": "gaj"})
    with at(local(2026, 3, 10, 10)):
        drain(app)
    mails = [(to, body) for to, body in inbox.messages]
    # The assignment's notice (sent within office hours), then the overdue one; the
    # digest unit's handler gets neither by itself.
    assert [to for to, _ in mails] == [["zyx@example.gov.cn"]] * 2
    assert all(zyx_case in body for _, body in mails)
    assert sorted("新派单" in body for _, body in mails) == [False, True]
    assert any("已超期" in body for _, body in mails)
    with at(local(2026, 3, 11, 8, 30, 5)), app.app_context():
        from casework.jobs import tasks
        assert tasks.send_digests() == 1
        assert tasks.send_digests() == 0                          # once a day
    with at(local(2026, 3, 11, 8, 31)):
        drain(app)
    digests = [body for to, body in inbox.messages if to == ["gaj@example.gov.cn"]]
    assert len(digests) == 1 and gaj_case in digests[0] and "每日提醒" in digests[0]


def test_nothing_leaves_without_configured_channels(app_with):
    app = app_with()
    assign(app, world_ids(app), local(2026, 3, 2, 9))
    with at(local(2026, 3, 10, 9)):
        drain(app)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Delivery.id))) == 0
