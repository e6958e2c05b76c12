"""回访 queue, 派单目录 pages and the dispatch suggestions in the browser's HTTP terms, and
the new events through the API (and in its OpenAPI document)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from casework.permissions import SYSTEM_ACTOR
from casework.services import accounts, tokens
from tests.web.helpers import case_row, new_letter

CLOSED = [("zyx_handler", "reply", {"body": "已修复。"}), ("reviewer", "accept", {}), ("reviewer", "close", {})]


def closed(app, **fields) -> str:
    return new_letter(app, assign_to="zyx", steps=CLOSED, **fields)


def test_the_callback_queue_lists_due_calls_soonest_first_and_records_a_call(app, world, browser):
    first, second = closed(app, subject="第一封"), closed(app, subject="第二封")
    centre = browser("dispatcher")
    page = centre.get("/callbacks").get_data(as_text=True)
    assert page.index(first) < page.index(second) and "回访期限" in page
    assert browser("zyx_handler").get("/callbacks").status_code == 403
    version = case_row(app, first).version
    done = centre.post(f"/cases/{first}/events/call_back", {"reached": "reached", "resolved": "unresolved",
                       "satisfaction": "unsatisfied", "_from": "callbacks", "_version": version}, htmx=True)
    assert done.status_code == 200 and "回访结果已记录" in done.get_data(as_text=True)
    assert first not in centre.get("/callbacks").get_data(as_text=True)
    office = browser("reviewer").get("/callbacks?tab=decide").get_data(as_text=True)
    assert first in office and "未解决" in office and "重办" in office and "维持办结" in office


def test_a_reached_call_without_results_is_refused_next_to_its_form(app, world, browser):
    number = closed(app)
    response = browser("dispatcher").post(f"/cases/{number}/events/call_back",
                                          {"reached": "reached", "_from": "callbacks"}, htmx=True)
    assert response.status_code == 400 and "已接通时请记录诉求是否解决" in response.get_data(as_text=True)


@pytest.fixture
def water(app, world):
    with app.app_context():
        accounts.create_unit(SYSTEM_ACTOR, "zjj", "安康市住房和城乡建设局", "department", "住建局")


WATER = {"name": "城市供水停水问题", "keywords": "停水、自来水", "unit_code": "zjj", "basis_kind": "sanding",
         "basis": "《市住建局三定规定》", "city_level": "1"}


def test_the_office_edits_the_catalogue_and_the_centre_reads_it(app, water, browser):
    admin = browser("admin")
    assert browser("dispatcher").post("/catalogue/new", WATER).status_code == 403
    bad = admin.post("/catalogue/new", WATER | {"unit_code": "zyx"})
    assert bad.status_code == 400 and "不能是县区" in bad.get_data(as_text=True)
    assert admin.post("/catalogue/new", WATER).status_code == 303
    listing = browser("dispatcher").get("/catalogue").get_data(as_text=True)
    assert "城市供水停水问题" in listing and "不得下派基层" in listing and "新增事项" not in listing
    assert "新增事项「城市供水停水问题」" in admin.get("/catalogue/history").get_data(as_text=True)


def test_the_template_downloads_and_a_bad_import_reports_rows(app, water, browser):
    admin = browser("admin")
    template = admin.get("/catalogue/template.xlsx")
    assert template.status_code == 200
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(template.data)).active.iter_rows()]
    assert ["事项名称", "事项类别", "关键词", "县区/街道", "责任单位", "依据类型", "依据", "市级部门事项"] in rows
    junk = admin.post("/catalogue/import", {"file": (io.BytesIO(b"not a sheet"), "x.xlsx")},
                      content_type="multipart/form-data")
    assert junk.status_code == 400 and "无法读取" in junk.get_data(as_text=True)
    csv = "事项名称,关键词,责任单位,依据类型,依据,市级部门事项\n停水,停水,不存在的局,三定,三定规定,否\n"
    bad = admin.post("/catalogue/import", {"file": (io.BytesIO(csv.encode()), "目录.csv")},
                     content_type="multipart/form-data")
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "第 2 行" in page and "找不到责任单位“不存在的局”" in page
    ok = admin.post("/catalogue/import", {"file": (io.BytesIO(template.data), "模板.xlsx")},
                    content_type="multipart/form-data")
    assert ok.status_code == 303
    assert "城市供水停水问题" in admin.get("/catalogue").get_data(as_text=True)


def test_the_dispatch_page_suggests_from_the_catalogue_and_the_guard_answers_409(app, water, browser):
    browser("admin").post("/catalogue/new", WATER)
    number = new_letter(app)
    centre = browser("dispatcher")
    page = centre.get("/dispatch").get_data(as_text=True)
    assert "派单目录建议" in page and "匹配关键词：停水、自来水" in page and "按目录派单" in page
    refused = centre.post(f"/cases/{number}/events/assign", {"unit_code": "zyx", "_from": "dispatch"}, htmx=True)
    assert refused.status_code == 409 and "不得随意派给紫阳县人民政府等基层单位" in refused.get_data(as_text=True)
    assert case_row(app, number).state == "opened"


@pytest.fixture
def api(app, world):
    with app.app_context():
        keys = {n: tokens.issue(SYSTEM_ACTOR, n) for n in ("dispatcher", "reviewer", "zyx_handler", "admin")}
    client = app.test_client()

    def call(path, user, json=None):
        return client.post(f"/api/v1{path}", json=json or {}, headers={"Authorization": f"Bearer {keys[user]}"})
    return call


def test_the_loop_through_the_api(app, api):
    number = closed(app)
    assert api(f"/cases/{number}/events/call_back", "zyx_handler", {"reached": "unreached"}).status_code == 403
    r = api(f"/cases/{number}/events/call_back", "dispatcher",
            {"reached": "reached", "resolved": "unresolved", "satisfaction": "basically_satisfied"})
    assert r.status_code == 200 and "reopen" not in r.get_json()["allowed_events"]
    r = api(f"/cases/{number}/events/reopen", "reviewer", {"reason": "回访反映未解决"})
    assert r.status_code == 200 and r.get_json()["state"] == "returned"
    r = api(f"/cases/{number}/events/reopen", "reviewer", {"reason": "再次"})
    assert r.status_code == 409 and r.get_json()["error"] == "not_allowed"


def test_openapi_lists_the_new_events(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    text = str(document)
    for event in ("call_back", "reopen", "keep_closed", "exclude_evaluation"):
        assert event in text
    assert "override_reason" in text and "catalogue_entry" in text
