"""The REST API: a letter's whole life, the error contract, and schema conformance."""

import jsonschema
import pytest

from casework import clock
from casework.permissions import SYSTEM_ACTOR
from casework.services import tokens
from tests.factories import local


@pytest.fixture
def api(app, world):
    with app.app_context():
        keys = {name: tokens.issue(SYSTEM_ACTOR, name)
                for name in ("dispatcher", "reviewer", "zyx_handler", "gaj_handler", "admin")}
    client = app.test_client()

    def call(method, path, user="dispatcher", json=None, headers=None, **kw):
        headers = dict(headers or {})
        if user:
            headers["Authorization"] = f"Bearer {keys[user]}"
        return client.open(f"/api/v1{path}", method=method, json=json, headers=headers, **kw)
    call.keys = keys
    return call


@pytest.fixture
def spec(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()

    def validate(name, instance):
        schema = {**document["components"]["schemas"][name], "components": document["components"]}
        jsonschema.validate(instance, _nullable(schema))
    return validate


def _nullable(schema):
    """OpenAPI 3.0's `nullable` is not JSON Schema: translate it for jsonschema."""
    if isinstance(schema, dict):
        out = {k: _nullable(v) for k, v in schema.items() if k != "nullable"}
        if schema.get("nullable") and "type" in out:
            out["type"] = [out["type"], "null"]
        if schema.get("nullable") and "enum" in out:
            out["enum"] = [*out["enum"], None]
        return out
    return [_nullable(v) for v in schema] if isinstance(schema, list) else schema


LETTER = {"type": "letter", "channel": "web", "subject": "城关镇自来水频繁停水", "body": "近一个月停水四次。",
          "citizen_name": "王先生", "citizen_phone": "13909150001", "received_at": "2025-09-26T08:30:00+08:00"}


def test_full_letter_lifecycle_through_the_api(api, spec):
    with clock.travel(local(2025, 9, 26, 9)):
        created = api("POST", "/cases", json=LETTER)
        assert created.status_code == 201
        case = created.get_json()
        spec("Case", case)
        number = case["number"]
        assert (case["state"], case["received_at"]) == ("opened", "2025-09-26T00:30:00+00:00")
        assert case["allowed_events"] == ["assign", "dismiss", "merge"]
        assigned = api("POST", f"/cases/{number}/events/assign", json={"unit_code": "zyx"}).get_json()
    assert (assigned["state"], assigned["due_date"], assigned["unit"]["code"]) == ("assigned", "2025-10-10", "zyx")
    assert assigned["due_at"] == "2025-10-10T16:00:00+00:00" and assigned["due_provisional"] is False
    handler_view = api("GET", f"/cases/{number}", user="zyx_handler").get_json()
    assert "reply" in handler_view["allowed_events"] and "assign" not in handler_view["allowed_events"]
    with clock.travel(local(2025, 9, 30, 10)):
        api("POST", f"/cases/{number}/events/reply", user="zyx_handler", json={"body": "已转交相关部门。"})
        returned = api("POST", f"/cases/{number}/events/return_reply", user="reviewer",
                       json={"reason": "buck_passing", "comment": "请具体答复"})
        assert returned.status_code == 200 and returned.get_json()["state"] == "returned"
        api("POST", f"/cases/{number}/events/reply", user="zyx_handler", json={"body": "已修复供水管网。"})
        api("POST", f"/cases/{number}/events/accept", user="reviewer", json={})
        closed = api("POST", f"/cases/{number}/events/close", user="reviewer", json={}).get_json()
    spec("Case", closed)
    assert (closed["state"], closed["on_time"], closed["return_count"]) == ("closed", True, 1)
    assert [e["event"] for e in closed["events"]] == [
        "create", "assign", "reply", "return_reply", "reply", "accept", "close"]
    assert closed["events"][3]["data"]["reason"] == "buck_passing" and closed["events"][3]["actor"] == "reviewer"


def test_publishing_and_withdrawing_an_answer_are_case_events(api, spec, app):
    """The public side through the API: offered in allowed_events, on the timeline, with
    the same masking and the same refusals as the case page."""
    from casework.extensions import db
    from casework.models import Case
    from casework.services.tx import transaction

    number = api("POST", "/cases", json=LETTER).get_json()["number"]
    with app.app_context(), transaction():
        db.session.scalar(db.select(Case).where(Case.number == number)).consent_publish = True
    for user, event, body in [("dispatcher", "assign", {"unit_code": "zyx"}),
                              ("zyx_handler", "reply", {"body": "王先生您好，已修复供水管网。"}),
                              ("reviewer", "accept", {}), ("reviewer", "close", {})]:
        assert api("POST", f"/cases/{number}/events/{event}", user=user, json=body).status_code == 200
    closed = api("GET", f"/cases/{number}", user="reviewer").get_json()
    assert "publish_answer" in closed["allowed_events"] and "unpublish_answer" not in closed["allowed_events"]
    assert "rate" not in closed["allowed_events"]  # the writer rates on the public query page
    text = {"subject": "城关镇停水", "body": "王先生反映停水，电话13909150001。", "reply": "已修复供水管网。"}
    assert api("POST", f"/cases/{number}/events/publish_answer", user="zyx_handler", json=text).status_code == 403
    assert api("POST", f"/cases/{number}/events/publish_answer", user="gaj_handler", json=text).status_code == 404
    bad = api("POST", f"/cases/{number}/events/publish_answer", user="reviewer", json={**text, "reply": " "})
    assert bad.status_code == 400 and "reply" in bad.get_json()["fields"]
    published = api("POST", f"/cases/{number}/events/publish_answer", user="reviewer", json=text)
    assert published.status_code == 200
    case = published.get_json()
    spec("Case", case)
    assert case["published_at"] and case["state"] == "closed"
    assert "unpublish_answer" in case["allowed_events"]
    assert case["events"][-1]["event"] == "publish_answer" and case["events"][-1]["label"] == "公开答复"
    page = app.test_client().get(f"/letters/{number}").get_data(as_text=True)
    assert "城关镇停水" in page and "13909150001" not in page and "王先生" not in page
    withdrawn = api("POST", f"/cases/{number}/events/unpublish_answer", user="reviewer", json={}).get_json()
    assert withdrawn["published_at"] is None and withdrawn["events"][-1]["label"] == "撤回公开"
    again = api("POST", f"/cases/{number}/events/unpublish_answer", user="reviewer", json={})
    assert again.status_code == 409 and "publish_answer" in again.get_json()["allowed_events"]
    assert app.test_client().get(f"/letters/{number}").status_code == 404
    assert api("POST", f"/cases/{number}/events/rate", user="reviewer", json={"rating": "satisfied"}).status_code == 403


def _statements(app, call):
    """What `call` sends to the database, statement by statement."""
    import sqlalchemy as sa

    from casework.extensions import db

    sent = []

    def listen(conn, cursor, statement, params, context, many):
        sent.append(" ".join(statement.split()))
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        return call(), sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)


FINDING = {"type": "finding", "subject": "网站栏目长期未更新", "body": "“通知公告”栏目逾 8 个月未更新。",
           "unit_code": "zyx", "rectify_by": "2025-10-31"}


@pytest.mark.parametrize("body, dispatched", [(LETTER, False), ({**LETTER, "unit_code": "zyx"}, True),
                                              (FINDING, True)], ids=["letter", "dispatched letter", "finding"])
def test_a_new_case_is_answered_from_what_its_transaction_wrote(api, app, spec, body, dispatched):
    user = "reviewer" if body["type"] == "finding" else "dispatcher"
    created, sent = _statements(app, lambda: api("POST", "/cases", json=body, user=user))
    assert created.status_code == 201
    case = created.get_json()
    spec("Case", case)
    # The response is what a read of the case gives, without reading it back: a new case
    # has no earlier events, replies, co-units or disputes to look up.
    assert case == api("GET", f"/cases/{case['number']}", user=user).get_json()
    assert [e["event"] for e in case["events"]] == (["create", "assign"] if dispatched else ["create"])
    reads = [s for s in sent if s.startswith("SELECT")]
    assert not [s for s in reads if any(f"FROM {t} " in s + " " for t in
                                         ("case_events", "replies", "case_disputes", "case_co_units"))], reads


def test_a_list_page_is_one_statement_with_its_count(api, app):
    numbers = [api("POST", "/cases", json=LETTER).get_json()["number"] for _ in range(3)]
    page, sent = _statements(app, lambda: api("GET", "/cases?per_page=2"))
    body = page.get_json()
    assert ([c["number"] for c in body["items"]], body["total"]) == (numbers[::-1][:2], 3)
    assert len([s for s in sent if "FROM cases" in s]) == 1, sent
    beyond = api("GET", "/cases?per_page=2&page=5").get_json()  # no row to carry the count
    assert (beyond["items"], beyond["total"], beyond["next"]) == ([], 3, None)
    last = api("GET", f"/cases?per_page=2&after={body['next']}").get_json()
    assert ([c["number"] for c in last["items"]], last["total"], last["next"]) == ([numbers[0]], 3, None)


def test_authentication(api, app):
    assert api("GET", "/cases", user=None).status_code == 401
    bad = api("GET", "/units", user=None, headers={"Authorization": "Bearer cw_not-a-token"})
    assert bad.status_code == 401 and bad.get_json()["error"] == "unauthorized"
    assert api("GET", "/units", user="zyx_handler").status_code == 200
    with app.app_context():
        assert tokens.revoke(SYSTEM_ACTOR, "zyx_handler") == 1
    assert api("GET", "/units", user="zyx_handler").status_code == 401
    cookie_client = app.test_client()
    assert cookie_client.get("/api/v1/units").status_code == 401  # sessions never authenticate the API


@pytest.mark.parametrize("change", [
    "UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP",
    "UPDATE users SET active = false WHERE username = 'zyx_handler'",
    "UPDATE users SET unit_id = (SELECT id FROM units WHERE code = 'gaj') WHERE username = 'zyx_handler'",
])
def test_a_kept_token_gives_way_to_any_account_change_at_once(api, app, change):
    """Each process keeps the users of the tokens it has seen; a change to users or
    tokens, even by SQL by hand, is honoured at the very next request."""
    import sqlalchemy as sa

    from casework.extensions import db

    with clock.travel(local(2025, 9, 26, 9)):
        number = api("POST", "/cases", json=LETTER).get_json()["number"]
        api("POST", f"/cases/{number}/events/assign", json={"unit_code": "zyx"})
        for _ in range(3):  # the first call touches the token; the next ones are kept
            assert api("GET", f"/cases/{number}", user="zyx_handler").status_code == 200
        with app.app_context():
            db.session.execute(sa.text(change.replace("false", "0") if db.engine.dialect.name == "sqlite"
                                       else change))
            db.session.commit()
        assert api("GET", f"/cases/{number}", user="zyx_handler").status_code in (401, 404)


def test_error_contract(api):
    number = api("POST", "/cases", json=LETTER).get_json()["number"]
    malformed = api("POST", f"/cases/{number}/events/assign", data="{not json", content_type="application/json")
    assert malformed.status_code == 400 and malformed.get_json()["error"] == "invalid"
    wrong_type = api("POST", "/cases", json={**LETTER, "subject": 12})
    assert wrong_type.status_code == 400 and "subject" in wrong_type.get_json()["fields"]
    unknown_unit = api("POST", f"/cases/{number}/events/assign", json={"unit_code": "nowhere"})
    assert unknown_unit.status_code == 400 and "unit_code" in unknown_unit.get_json()["fields"]
    unknown_event = api("POST", f"/cases/{number}/events/teleport", json={})
    assert unknown_event.status_code == 404 and "未知的操作" in unknown_event.get_json()["message"]
    wrong_state = api("POST", f"/cases/{number}/events/accept", user="reviewer", json={})
    assert wrong_state.status_code == 409
    assert wrong_state.get_json()["error"] == "not_allowed"
    assert api("POST", f"/cases/{number}/events/dismiss", user="reviewer", json={"reason": "spam"}).status_code == 403
    api("POST", f"/cases/{number}/events/assign", json={"unit_code": "zyx"})
    assert api("GET", f"/cases/{number}", user="gaj_handler").status_code == 404
    stale = api("POST", f"/cases/{number}/events/reassign", json={"unit_code": "gaj", "reason": "x", "version": 1})
    assert stale.status_code == 409 and stale.get_json()["error"] == "conflict"
    bad_days = api("POST", f"/cases/{number}/events/request_extension", user="zyx_handler",
                   json={"days": "many", "reason": "r"})
    assert bad_days.status_code == 400 and "days" in bad_days.get_json()["fields"]
    wrong_method = api("DELETE", f"/cases/{number}")
    assert wrong_method.status_code == 405 and wrong_method.get_json()["error"] == "http_405"
    not_allowed_with_list = api("POST", f"/cases/{number}/events/assign", json={"unit_code": "gaj"})
    assert not_allowed_with_list.get_json()["allowed_events"] == ["reassign", "add_co_unit", "merge",
                                                                  "suspend"]


def test_listing_with_filters_pagination_and_visibility(api, spec):
    numbers = [api("POST", "/cases", json=LETTER).get_json()["number"] for _ in range(5)]
    for n in numbers[:3]:
        api("POST", f"/cases/{n}/events/assign", json={"unit_code": "zyx"})
    page = api("GET", "/cases?per_page=2&page=1").get_json()
    spec("CasePage", page)
    assert page["total"] == 5 and [c["number"] for c in page["items"]] == numbers[::-1][:2]
    assert api("GET", "/cases?state=assigned").get_json()["total"] == 3
    assert api("GET", "/cases?unit=zyx&type=letter&overdue=false").get_json()["total"] == 3
    assert api("GET", "/cases", user="zyx_handler").get_json()["total"] == 3
    assert api("GET", "/cases", user="gaj_handler").get_json()["total"] == 0
    bad = api("GET", "/cases?state=lost&page=0&overdue=maybe")
    assert bad.status_code == 400 and set(bad.get_json()["fields"]) == {"state", "page", "overdue"}


def test_keyset_pages_and_a_capped_count(api, spec, monkeypatch):
    from casework.queries import case_list

    numbers = [api("POST", "/cases", json=LETTER).get_json()["number"] for _ in range(5)]
    for n in numbers[:3]:
        api("POST", f"/cases/{n}/events/assign", json={"unit_code": "zyx"})
    seen, after = [], None
    while True:
        page = api("GET", "/cases?per_page=2" + (f"&after={after}" if after else "")).get_json()
        spec("CasePage", page)
        seen += [c["number"] for c in page["items"]]
        after = page["next"]
        if after is None:
            break
    assert seen == numbers[::-1]  # every case once, newest first
    last = api("GET", "/cases?state=assigned&per_page=3").get_json()
    assert (last["total"], last["total_capped"], last["next"]) == (3, False, None)
    assert api("GET", "/cases", user="zyx_handler").get_json()["total"] == 3
    monkeypatch.setattr(case_list, "COUNT_CAP", 3)
    capped = api("GET", "/cases?per_page=2").get_json()
    assert (capped["total"], capped["total_capped"]) == (3, True)  # "3+"
    exact = api("GET", "/cases?per_page=2&count=exact").get_json()
    assert (exact["total"], exact["total_capped"]) == (5, False)
    bad = api("GET", "/cases?after=x&count=all")
    assert bad.status_code == 400 and set(bad.get_json()["fields"]) == {"after", "count"}
    both = api("GET", "/cases?after=1&page=2")
    assert both.status_code == 400 and set(both.get_json()["fields"]) == {"after"}


def test_a_units_list_merges_its_own_cases_and_the_ones_it_co_handles(api, monkeypatch):
    from casework.queries import case_list

    numbers = [api("POST", "/cases", json=LETTER).get_json()["number"] for _ in range(7)]
    for i, n in enumerate(numbers):  # zyx leads the even ones and co-handles every third
        lead = "zyx" if i % 2 == 0 else "gaj"
        co = ["zyx"] if i % 3 == 0 and lead != "zyx" else (["gaj"] if lead == "zyx" else [])
        assert api("POST", f"/cases/{n}/events/assign", json={"unit_code": lead, "co_unit_codes": co}).status_code == 200
    mine = [n for i, n in enumerate(numbers) if i % 2 == 0 or i % 3 == 0][::-1]
    seen, after = [], None
    while True:
        page = api("GET", "/cases?state=assigned&per_page=2" + (f"&after={after}" if after else ""),
                   user="zyx_handler").get_json()
        assert page["total"] == len(mine)
        seen += [c["number"] for c in page["items"]]
        if (after := page["next"]) is None:
            break
    assert seen == mine  # newest first, each once: a case led by zyx with gaj co-handling included
    by_number = [c["number"] for p in (1, 2, 3)
                 for c in api("GET", f"/cases?per_page=2&page={p}", user="zyx_handler").get_json()["items"]]
    assert by_number == mine
    monkeypatch.setattr(case_list, "COUNT_CAP", 3)
    capped = api("GET", "/cases?per_page=2", user="zyx_handler").get_json()
    assert (capped["total"], capped["total_capped"]) == (3, True)
    exact = api("GET", "/cases?per_page=2&count=exact", user="zyx_handler").get_json()
    assert (exact["total"], exact["total_capped"]) == (len(mine), False)


def test_units_and_calendar(api, spec, app):
    units = api("GET", "/units").get_json()
    for unit in units:
        spec("Unit", unit)
    assert {u["code"] for u in units} == {"zyx", "gaj"}
    year = api("GET", "/calendar/2025").get_json()
    spec("Calendar", year)
    days = {d["date"]: d for d in year["days"]}
    assert days["2025-09-28"] == {"date": "2025-09-28", "working": True, "source": "official", "note": "国庆节调休上班"}
    assert days["2025-10-08"]["working"] is False
    provisional = {d["date"]: d for d in api("GET", "/calendar/2027").get_json()["days"]}
    assert provisional["2027-01-01"]["source"] == "provisional" and not provisional["2027-01-01"]["working"]
    with app.app_context():
        from datetime import date

        from casework.services import calendar_admin
        calendar_admin.set_override(SYSTEM_ACTOR, date(2027, 2, 8), False, "春节（预排）")
    assert {d["date"]: d for d in api("GET", "/calendar/2027").get_json()["days"]}["2027-02-08"]["source"] == "override"


def test_openapi_document_and_docs_page(app):
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assign = document["paths"]["/cases/{number}/events/assign"]["post"]
    body = assign["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["unit_code"] and "version" in body["properties"]
    ret = document["paths"]["/cases/{number}/events/return_reply"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert ret["properties"]["reason"]["enum"] == ["off_topic", "buck_passing", "cold", "offensive", "privacy_leak", "other"]
    assert "/cases/{number}/events/mark_overdue" not in document["paths"]  # system events are not offered
    publish = document["paths"]["/cases/{number}/events/publish_answer"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert publish["required"] == ["subject", "body", "reply"]
    assert "/cases/{number}/events/unpublish_answer" in document["paths"]
    assert "/cases/{number}/events/rate" not in document["paths"]  # no API token is a citizen's
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and "vendor/swagger-ui/swagger-ui-bundle.js" in docs.get_data(as_text=True)
    assert "https://" not in docs.get_data(as_text=True)


def test_token_cli(app):
    runner = app.test_cli_runner()
    with app.app_context():
        from tests.factories import build_world
        build_world()
    issued = runner.invoke(args=["users", "token", "dispatcher"])
    token = issued.output.strip()
    assert issued.exit_code == 0 and token.startswith("cw_") and len(token) > 40
    client = app.test_client()
    assert client.get("/api/v1/units", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with app.app_context():
        from casework.extensions import db
        from casework.models import ApiToken
        stored = db.session.scalars(db.select(ApiToken.token_hash)).all()
        assert token not in stored and len(stored[0]) == 64
    revoked = runner.invoke(args=["users", "revoke-tokens", "dispatcher"])
    assert "revoked 1" in revoked.output
    assert client.get("/api/v1/units", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert runner.invoke(args=["users", "token", "nobody"]).exit_code == 1
