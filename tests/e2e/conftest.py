"""A live server on a fresh database and Debian's chromium driven by Playwright.

Never downloads a browser: /usr/bin/chromium must be installed (apt-get install chromium;
.ci/services does it when missing). Missing it is a failure, not a skip."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from casework.extensions import db
from casework.search.text import index_terms
from tests.conftest import make_app
from tests.factories import build_world

CHROMIUM = os.environ.get("CASEWORK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture
def live_app(tmp_path, request):
    app = make_app("sqlite", tmp_path, request, RATELIMIT_ENABLED=False)
    with app.app_context():
        build_world()
    # jieba loads its dictionary on first use, once per process: 26 s on this machine at a
    # load of 35. Here, not inside the first form post a browser waits 10 s for.
    index_terms("停水")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (see README)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(chromium, live_app):
    contexts = []

    def new_page():
        context = chromium.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        # Waits, not timings: the first reply loads jieba's dictionary, which takes seconds
        # more than 10 on a machine shared with other test suites.
        page.set_default_timeout(30_000)
        page.on("dialog", lambda dialog: dialog.accept())  # hx-confirm on dangerous actions
        return page

    yield new_page
    for context in contexts:
        context.close()


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
