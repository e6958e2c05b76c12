"""主办/协办, 退单 review and notice preferences through the pages and the API."""

import pytest
import sqlalchemy as sa

from casework import clock
from casework.extensions import db
from casework.models import Case, CoUnit, EmailOptOut
from casework.permissions import SYSTEM_ACTOR
from casework.services import accounts, handoffs, tokens
from tests.factories import PASSWORD, local
from tests.web.helpers import new_letter


@pytest.fixture
def hbj(app, world):
    with app.app_context():
        accounts.create_unit(SYSTEM_ACTOR, "hbj", "安康市生态环境局", "department", "环境局")
        accounts.create_user(SYSTEM_ACTOR, "hbj_handler", "unit_handler", PASSWORD, unit_code="hbj")


def version_of(app, number):
    with app.app_context():
        return db.session.scalar(sa.select(Case.version).where(Case.number == number))


def test_dispatch_with_co_units_and_the_co_units_pages(app, hbj, browser):
    with clock.travel(local(2026, 3, 2, 9)):
        number = new_letter(app)
        dispatcher = browser("dispatcher")
        page = dispatcher.get(f"/cases/{number}").get_data(as_text=True)
        assert 'name="co_unit_codes"' in page and "multiple" in page
        # A multiple select posts the field once per chosen unit.
        response = dispatcher.post(f"/cases/{number}/events/assign",
                                   {"unit_code": "zyx", "co_unit_codes": ["gaj", "hbj"],
                                    "_version": version_of(app, number)})
        assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CoUnit.id))) == 2
    with clock.travel(local(2026, 3, 3, 9)):
        co = browser("gaj_handler")
        tab = co.get("/inbox?tab=co").get_data(as_text=True)
        assert number in tab and "协办" in tab
        case_page = co.get(f"/cases/{number}").get_data(as_text=True)
        assert "协办意见" in case_page and 'data-event="co_opinion"' in case_page
        assert 'data-event="reply"' not in case_page and "2026-03-05" in case_page
        forbidden = co.post(f"/cases/{number}/events/reply", {"body": "协办单位直接答复"})
        assert forbidden.status_code == 403
        done = co.post(f"/cases/{number}/events/co_opinion", {"opinion": "已加强巡逻。<script>x</script>"})
        assert done.status_code == 303
        assert browser("hbj_handler").get(f"/cases/{number}").status_code == 200
        lead = browser("zyx_handler").get(f"/cases/{number}").get_data(as_text=True)
        assert "已加强巡逻。&lt;script&gt;" in lead and "主办单位" in lead
        assert 'data-event="reply"' in lead and 'data-event="co_opinion"' not in lead


def test_a_unit_that_is_neither_lead_nor_co_sees_404(app, hbj, browser):
    with clock.travel(local(2026, 3, 2, 9)):
        number = new_letter(app, assign_to="zyx")
    other = browser("hbj_handler")
    assert other.get(f"/cases/{number}").status_code == 404
    assert other.post(f"/cases/{number}/events/co_opinion", {"opinion": "x"}).status_code == 404
    assert number not in other.get("/inbox?tab=co").get_data(as_text=True)


def test_the_dispatchers_dispute_review_tab(app, world, browser):
    with clock.travel(local(2026, 3, 2, 9)):
        number = new_letter(app, assign_to="zyx", steps=[("zyx_handler", "reject_assignment",
                                                           {"reason": "属于公安职责"})])
        dispatcher = browser("dispatcher")
        tab = dispatcher.get("/dispatch?tab=rejected").get_data(as_text=True)
        assert number in tab and "属于公安职责" in tab and "审核期间照常计算" in tab
        assert 'data-event="refuse_rejection"' in tab and 'data-event="reassign"' in tab
        assert 'data-event="merge"' not in tab
        assert "退单待派单员审核" in browser("zyx_handler").get(f"/cases/{number}").get_data(as_text=True)
        refused = dispatcher.post(f"/cases/{number}/events/refuse_rejection", {"reason": "属县政府管理", "_from": "dispatch"})
        assert refused.status_code == 303
        assert f'id="item-{number}"' not in dispatcher.get("/dispatch?tab=rejected").get_data(as_text=True)
        again = dispatcher.post(f"/cases/{number}/events/refuse_rejection", {"reason": "再驳回"})
        assert again.status_code == 409 and "没有待审核的退单" in again.get_data(as_text=True)
        timeline = browser("zyx_handler").get(f"/cases/{number}").get_data(as_text=True)
        assert "驳回退单" in timeline and "属县政府管理" in timeline


def test_notice_preferences_page(app, world, browser):
    handler = browser("zyx_handler")
    page = handler.get("/account/notices").get_data(as_text=True)
    assert "新派单" in page and "发回重办" in page and "单位退单" not in page  # the unit's kinds
    assert page.count('type="checkbox"') == page.count("checked")  # all on until chosen
    assert handler.post("/account/notices", {"email": "returned"}, csrf=False).status_code == 400
    assert handler.post("/account/notices", {"email": ["returned", "overdue"]}).status_code == 303
    with app.app_context():
        off = set(db.session.scalars(sa.select(EmailOptOut.kind).where(EmailOptOut.user_id == world["zyx_handler"])))
    assert "assigned" in off and "returned" not in off and "overdue" not in off
    page = handler.get("/account/notices").get_data(as_text=True)
    assert page.count("checked") == 2
    assert handler.post("/account/notices", {"email": "nonsense"}).status_code == 400
    office = browser("dispatcher").get("/account/notices").get_data(as_text=True)
    assert "单位退单" in office and "新派单" not in office


def test_hand_off_notice_shows_in_the_app(app, world, browser):
    with clock.travel(local(2026, 3, 2, 9)):
        number = new_letter(app, assign_to="zyx")
        with app.app_context():
            handoffs.sweep(clock.now())
    notes = browser("zyx_handler").get("/notifications").get_data(as_text=True)
    assert "【新派单】" in notes and number in notes


def test_co_handling_and_disputes_through_the_api(app, hbj):
    with app.app_context():
        keys = {n: tokens.issue(SYSTEM_ACTOR, n) for n in ("dispatcher", "zyx_handler", "gaj_handler", "hbj_handler")}
    client = app.test_client()

    def call(path, user, json=None):
        return client.open(f"/api/v1{path}", method="POST" if json is not None else "GET", json=json,
                           headers={"Authorization": f"Bearer {keys[user]}"})

    with clock.travel(local(2026, 3, 2, 9)):
        number = new_letter(app)
        case = call(f"/cases/{number}/events/assign", "dispatcher", {"unit_code": "zyx", "co_unit_codes": ["gaj"]})
        assert case.status_code == 200
        assert case.get_json()["co_units"][0] | {"opinion_at": None} == {
            "code": "gaj", "name": "安康市公安局", "due_date": "2026-03-05", "opinion": None,
            "opinion_at": None, "late": False}
        co = call(f"/cases/{number}", "gaj_handler").get_json()
        assert co["allowed_events"] == ["co_opinion"]
        assert call(f"/cases/{number}", "hbj_handler").status_code == 404
        assert call(f"/cases/{number}/events/reply", "gaj_handler", {"body": "x"}).status_code == 403
        assert call(f"/cases/{number}/events/co_opinion", "gaj_handler", {"opinion": "意见"}).status_code == 200
        twice = call(f"/cases/{number}/events/co_opinion", "gaj_handler", {"opinion": "再次"})
        assert twice.status_code == 409 and twice.get_json()["error"] == "not_allowed"
        bad = call(f"/cases/{number}/events/add_co_unit", "dispatcher", {"co_unit_codes": 5})
        assert bad.status_code == 400 and "co_unit_codes" in bad.get_json()["fields"]
        rejected = call(f"/cases/{number}/events/reject_assignment", "zyx_handler", {"reason": "不属本单位"})
        assert rejected.get_json()["open_dispute"]["reason"] == "不属本单位"
        assert rejected.get_json()["due_date"] == "2026-03-09"
        refused = call(f"/cases/{number}/events/refuse_rejection", "dispatcher", {"reason": "属本单位"})
        assert refused.get_json()["open_dispute"] is None and refused.get_json()["due_date"] == "2026-03-09"
    document = client.get("/api/v1/openapi.json").get_json()
    for event in ("co_opinion", "add_co_unit", "refuse_rejection", "reject_assignment"):
        assert f"/cases/{{number}}/events/{event}" in document["paths"]
    assign = document["paths"]["/cases/{number}/events/assign"]["post"]["requestBody"]["content"]["application/json"]
    assert assign["schema"]["properties"]["co_unit_codes"]["type"] == "array"
