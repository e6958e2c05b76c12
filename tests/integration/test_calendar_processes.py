"""One calendar for every process (issue 20, point 8): a calendar imported by one process
is what a running server uses at its very next request, with or without Redis."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from json import loads
from pathlib import Path

import pytest

from casework.extensions import db
from casework.permissions import SYSTEM_ACTOR
from casework.services import calendar_admin, tokens
from tests.conftest import make_app
from tests.factories import build_world

ROOT = Path(__file__).resolve().parents[2]
SATURDAY = "2027-02-06"  # a made-up 调休 working day in a year nobody has published yet


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(params=["without_redis", "with_redis"])
def server(request, backend, tmp_path):
    redis_url = request.getfixturevalue("redis_url") if request.param == "with_redis" else None
    app = make_app(backend, tmp_path, request, REDIS_URL=redis_url)
    with app.app_context():
        build_world()
        token = tokens.issue(SYSTEM_ACTOR, "dispatcher")
        url = str(db.engine.url.render_as_string(hide_password=False))
    port = _free_port()
    env = {**os.environ, "CASEWORK_ENV": "testing", "SECRET_KEY": "x", "DATABASE_URL": url,
           "LOG_LEVEL": "WARNING", "CASEWORK_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port", str(port),
                             "--no-reload"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/api/v1"

    def get(path):
        req = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=10) as response:
            return loads(response.read())

    deadline = time.monotonic() + 60  # a loaded machine starts a Python process slowly
    while True:
        try:
            get("/units")
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(proc.stderr.read().decode())
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail("the server process did not answer within 60 s")
            time.sleep(0.2)
    yield app, get
    proc.terminate()
    proc.wait(10)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _day(get, day: str) -> dict:
    return next(d for d in get(f"/calendar/{day[:4]}")["days"] if d["date"] == day)


def test_a_calendar_import_is_seen_by_a_running_server_at_its_next_request(server):
    app, get = server
    assert _day(get, SATURDAY) == {"date": SATURDAY, "working": False, "source": "provisional", "note": ""}
    with app.app_context():  # this process, as `flask calendar import` would
        days = calendar_admin.parse_arrangement(f"date,status,note\n{SATURDAY},work,春节调休上班\n")
        calendar_admin.import_arrangement(SYSTEM_ACTOR, days, "国办发明电〔2026〕X号")
    assert _day(get, SATURDAY) == {"date": SATURDAY, "working": True, "source": "override",
                                   "note": "春节调休上班"}
    with app.app_context():  # and a single day set by hand in the database, bypassing the app
        db.session.execute(db.text("UPDATE calendar_days SET working = :w WHERE day = :d"),
                           {"w": False, "d": date(2027, 2, 6)})
        db.session.commit()
    assert _day(get, SATURDAY)["working"] is False
