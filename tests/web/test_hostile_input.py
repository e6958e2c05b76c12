"""Hostile input is a 400 (or 404/413) with a Chinese message, never a 500, and changes
nothing: NUL bytes, lone surrogates, invalid UTF-8, JSON nested 100,000 deep, lists and
objects where a scalar is expected, and huge bodies, on every web route (walked from
app.url_map) and every API operation (walked from the OpenAPI document)."""

import json
import re

import pytest
import sqlalchemy as sa

from casework.extensions import db
from casework.permissions import SYSTEM_ACTOR
from casework.services import tokens
from tests.factories import letter
from tests.web.conftest import Browser
from tests.web.helpers import user

NUL, SURROGATE = "\x00", "\ud800"
PATH_VALUES = ("%00", "a%00b", "%ED%A0%80", "%FF%FE")
FIELDS = ("username", "password", "q", "subject", "body", "citizen_name", "citizen_phone", "code", "rating",
          "comment", "reason", "unit_code", "role", "month", "note", "deadline", "round", "website_id",
          "verdict", "reply", "current", "new", "confirm", "date", "status", "phrase")


def snapshot() -> dict:
    """Row counts of every table, and every case's version: "changes nothing"."""
    counts = {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
              for t in db.metadata.sorted_tables}
    versions = db.session.execute(sa.text("SELECT id, version FROM cases ORDER BY id")).all()
    db.session.rollback()
    return counts | {"case versions": [tuple(r) for r in versions]}


@pytest.fixture
def setup(app, world):
    with app.app_context():
        case = letter(user("dispatcher"))
        token = tokens.issue(SYSTEM_ACTOR, "admin")
        return case.number, token


def _url(rule, value: str, number: str) -> str:
    url = rule.rule
    for arg in rule.arguments:
        converter = type(rule._converters[arg]).__name__
        url = re.sub(rf"<(?:\w+:)?{arg}>", "1" if converter == "IntegerConverter" else
                     (value if arg != "number" else number + value), url)
    return url


def test_every_web_route(app, setup, browser):
    number, _ = setup
    admin, anonymous = browser("admin"), Browser(app.test_client())
    with app.app_context():
        before = snapshot()
    seen = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/api/", "/static")):
            continue
        for value in PATH_VALUES:
            url = _url(rule, value, number)
            query = f"?q={value}&page={value}&month={value}&tab={value}"
            for who in (admin, anonymous):
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    if method == "GET":
                        response = who.client.get(url + query)
                    else:
                        form = {name: f"x{NUL}" for name in FIELDS}
                        response = who.post(url, form)
                        raw = who.client.post(url, data=b"subject=%ED%A0%80&body=%FF%00",
                                              content_type="application/x-www-form-urlencoded")
                        assert raw.status_code < 500, (url, raw.status_code)
                    assert response.status_code < 500, (method, url, response.status_code)
                    if response.status_code == 400 and response.mimetype == "text/html":
                        assert re.search(r"[\u4e00-\u9fff]", response.get_data(as_text=True))
                    seen.append(rule.endpoint)
    with app.app_context():
        assert snapshot() == before
    assert len(set(seen)) >= 40


def test_the_issue_cases_are_400_in_chinese(app, setup, browser):
    number, token = setup
    admin = browser("admin")
    assert admin.get("/inbox?q=%00").status_code == 400
    assert "无效字符" in admin.get("/inbox?q=%00").get_data(as_text=True)
    b = Browser(app.test_client())
    b.get("/login")
    assert b.post("/login", {"username": f"admin{NUL}", "password": "x"}).status_code == 400
    b.get("/letters/new")
    sent = b.post("/letters/new", {"citizen_name": "张三", "citizen_phone": "13912345678", "subject": "停水",
                                   "body": f"停水{NUL}四次", "consent": "1"})
    assert sent.status_code == 400
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/cases/%00", headers=headers).status_code in (400, 404)
    for body in ({"type": ["letter"]}, {"type": {"x": 1}}, {"type": "letter", "subject": ["a"], "body": "b",
                 "channel": "web", "citizen_name": "a", "citizen_phone": "13912345678"}):
        response = api.post("/api/v1/cases", json=body, headers=headers)
        assert response.status_code == 400 and response.json["error"] == "invalid", body
    returned = api.post(f"/api/v1/cases/{number}/events/dismiss", json={"reason": ["spam"]}, headers=headers)
    assert returned.status_code == 400 and "reason" in returned.json["fields"]


def _hostile_bodies(schema: dict) -> list:
    props = list((schema or {}).get("properties", {})) or ["type", "body"]
    deep = {"a": None}
    for _ in range(200):
        deep = {"a": deep}
    return [
        {p: [1, "x"] for p in props}, {p: {"k": "v"} for p in props}, {p: f"x{NUL}y" for p in props},
        {p: f"x{SURROGATE}y" for p in props}, {p: deep for p in props}, [1, 2], "text", 12,
    ]


def test_every_api_operation(app, setup):
    number, token = setup
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    spec = client.get("/api/v1/openapi.json").json
    with app.app_context():
        before = snapshot()
    calls = 0
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            for value in PATH_VALUES:
                url = "/api/v1" + re.sub(r"\{number\}", number + value, path).replace("{year}", value) \
                    .replace("{month}", value)
                url = re.sub(r"\{\w+\}", value, url) if method == "get" else re.sub(r"\{\w+\}", "x", url)
                if method == "get":
                    response = client.get(url + f"?state={value}&page={value}&per_page={value}", headers=headers)
                    assert response.status_code < 500, (url, response.status_code)
                    calls += 1
                    continue
                schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
                if "$ref" in schema:
                    schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
                for body in _hostile_bodies(schema):
                    response = client.open(url, method=method.upper(), headers=headers,
                                           data=json.dumps(body), content_type="application/json")
                    assert response.status_code < 500, (method, url, body if len(str(body)) < 200 else "…",
                                                        response.status_code)
                    assert response.is_json and re.search(r"[\u4e00-\u9fff]", response.json["message"])
                    calls += 1
    with app.app_context():
        assert snapshot() == before
    assert calls >= 100


def test_deep_nesting_and_huge_bodies(app, setup):
    number, token = setup
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    deep = "[" * 100_000 + "]" * 100_000
    for url in ("/api/v1/cases", f"/api/v1/cases/{number}/events/reply"):
        response = client.post(url, data=deep, content_type="application/json", headers=headers)
        assert response.status_code == 400 and "嵌套" in response.json["message"]
        huge = client.post(url, data=json.dumps({"body": "长" * 2_000_000}), content_type="application/json",
                           headers=headers)
        assert huge.status_code == 413 and huge.is_json
    form = client.post("/letters/new", data={"body": "长" * 1_000_000})
    assert form.status_code in (400, 413)
