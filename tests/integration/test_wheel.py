"""The app runs as it is shipped: a wheel built from this checkout, installed into a fresh
virtual environment, migrates its database and serves pages with their templates and
static files, far from any checkout. Its logging is the app's own: one line per request,
with a request id."""

import os
import re
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str, dict]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode(), dict(response.headers)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv holding the wheel. Its dependencies come from the test environment
    (a .pth line): what is checked is the wheel's own content, not PyPI."""
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(base / "dist"),
                    str(ROOT)], check=True, capture_output=True)
    wheel = next((base / "dist").glob("casework-*.whl"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    str(wheel)], check=True, capture_output=True)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python, base


def test_the_installed_wheel_migrates_and_serves_pages(installed):
    python, base = installed
    workdir = base / "run"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASEWORK_", "FLASK_", "REDIS_URL"))}
    env |= {"CASEWORK_ENV": "production", "SECRET_KEY": "wheel-test", "SESSION_COOKIE_SECURE": "0",
            "DATABASE_URL": f"sqlite:///{workdir / 'casework.sqlite3'}", "LOG_LEVEL": "INFO"}
    where = subprocess.run([str(python), "-c", "import casework; print(casework.__file__)"], cwd=workdir,
                           env=env, check=True, capture_output=True, text=True).stdout
    assert where.startswith(str(base / "venv"))                 # the wheel, not this checkout
    subprocess.run([str(python), "-m", "flask", "--app", "casework:create_app", "db", "upgrade"],
                   cwd=workdir, env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen([str(python), "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                               "casework:create_app()"], cwd=workdir, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60  # a loaded machine starts gunicorn slowly
        while True:
            try:
                status, body, _ = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.2)
        assert status == 200
        status, body, headers = _get(f"http://127.0.0.1:{port}/letters/new")
        assert status == 200 and "<form" in body and "联系电话" in body     # a template of the package
        request_id = headers["X-Request-ID"]
        status, css, _ = _get(f"http://127.0.0.1:{port}/static/css/app.css")
        assert status == 200 and "{" in css                                 # its static files
    finally:
        server.terminate()
        log = server.communicate(timeout=10)[1]
    assert re.search(rf"INFO \[{request_id}\] casework.request: GET /letters/new 200 [\d.]+ ms", log), log
    assert not (workdir / "instance" / "dev-secret-key").exists()
