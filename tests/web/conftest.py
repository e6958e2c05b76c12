from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD, build_world

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """A test client that signs in and sends the CSRF token like the pages do."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def get(self, url, **kw):
        response = self.client.get(url, **kw)
        if response.mimetype == "text/html" and (m := TOKEN.search(response.get_data(as_text=True))):
            self.token = m.group(1)
        return response

    def post(self, url, data=None, htmx=False, csrf=True, **kw):
        data = dict(data or {})
        if csrf:
            if self.token is None:
                self.get("/login")
            data.setdefault("csrf_token", self.token)
        headers = kw.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.post(url, data=data, headers=headers, **kw)

    def login(self, username, password=PASSWORD):
        self.get("/login")
        response = self.post("/login", {"username": username, "password": password})
        # Signing in starts a new session (no fixation), so take the new token.
        self.get("/", follow_redirects=True)
        return response


@pytest.fixture
def world(app):
    with app.app_context():
        w = build_world()
        return {name: getattr(w, name).id for name in vars(w)} | {"obj": None}


@pytest.fixture
def browser(app):
    def make(username=None):
        b = Browser(app.test_client())
        if username:
            b.login(username)
        return b
    return make


@pytest.fixture
def people(app, world, browser):
    """Signed-in browsers of the letter flow, and a citizen's."""
    return {name: browser(name) for name in ("dispatcher", "zyx_handler", "reviewer")} | {"anonymous": browser()}
