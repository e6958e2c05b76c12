"""Actions through the browser's two paths: htmx swaps and plain form posts."""

import io

import pytest

from tests.web.helpers import case_row, event_count, new_letter


def test_dispatcher_assigns_from_the_queue_without_js(app, world, browser):
    number = new_letter(app)
    b = browser("dispatcher")
    assert number in b.get("/dispatch").get_data(as_text=True)
    response = b.post(f"/cases/{number}/events/assign", {"unit_code": "zyx", "_from": "dispatch"})
    assert response.status_code == 303 and response.location == "/dispatch"
    assert case_row(app, number).state == "assigned"
    assert "已派单" in b.get("/dispatch").get_data(as_text=True)  # the flash


def test_dispatcher_assigns_with_htmx(app, world, browser):
    number = new_letter(app)
    b = browser("dispatcher")
    b.get("/dispatch")
    response = b.post(f"/cases/{number}/events/assign", {"unit_code": "gaj", "_from": "dispatch"}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="item-{number}"' in body and "已派单" in body
    assert "安康市公安局" in body  # says where it went: the picker's filter may have hidden the choice
    assert "<html" not in body
    # The menu's counts follow, as after an action on the case page.
    assert 'id="nav" class="nav" hx-swap-oob="true"' in body and '派单 <b class="count">0</b>' in body


def test_unit_replies_and_the_case_swaps_in_place(app, world, browser):
    number = new_letter(app, assign_to="zyx")
    b = browser("zyx_handler")
    version = case_row(app, number).version
    response = b.post(f"/cases/{number}/events/reply",
                      {"body": "经核实，已恢复供水。", "note": "水务公司已抢修", "_version": version}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="case"' in body and "答复已提交，等待审核" in body and "经核实，已恢复供水。" in body
    assert 'id="nav" class="nav" hx-swap-oob="true"' in body  # the counts refresh too
    assert case_row(app, number).state == "replied"


def test_invalid_input_is_shown_next_to_the_form_and_changes_nothing(app, world, browser):
    number = new_letter(app, assign_to="zyx", steps=[("zyx_handler", "reply", {"body": "答复"})])
    b = browser("reviewer")
    before = (case_row(app, number).version, event_count(app, number))
    response = b.post(f"/cases/{number}/events/return_reply", {"comment": "不具体"}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == f"#form-{number}-return_reply"
    assert "请选择退回原因" in body and "不具体" in body  # what was typed is kept
    assert (case_row(app, number).version, event_count(app, number)) == before

    plain = b.post(f"/cases/{number}/events/return_reply", {"reason": "other"})
    assert plain.status_code == 400
    page = plain.get_data(as_text=True)
    assert "<html" in page and "选择“其他”时请说明具体原因" in page
    assert case_row(app, number).state == "replied"


def test_wrong_state_is_409_with_a_chinese_message(app, world, browser):
    number = new_letter(app, assign_to="zyx")
    response = browser("reviewer").post(f"/cases/{number}/events/accept", {}, htmx=True)
    assert response.status_code == 409 and "不能审核通过" in response.get_data(as_text=True)


def test_wrong_role_is_403(app, world, browser):
    number = new_letter(app, assign_to="zyx", steps=[("zyx_handler", "reply", {"body": "答复"})])
    response = browser("dispatcher").post(f"/cases/{number}/events/accept", {})
    assert response.status_code == 403 and "无权" in response.get_data(as_text=True)
    assert case_row(app, number).state == "replied"


def test_stale_page_gets_a_conflict(app, world, browser):
    number = new_letter(app, assign_to="zyx")
    stale = case_row(app, number).version
    b = browser("zyx_handler")
    assert b.post(f"/cases/{number}/events/acknowledge", {"_version": stale}).status_code == 303
    response = b.post(f"/cases/{number}/events/reply", {"body": "答复", "_version": stale}, htmx=True)
    assert response.status_code == 409 and "已被他人更新" in response.get_data(as_text=True)
    assert case_row(app, number).state == "assigned"


def test_post_without_csrf_token_is_rejected(app, world, browser):
    number = new_letter(app, assign_to="zyx")
    b = browser("zyx_handler")
    response = b.post(f"/cases/{number}/events/reply", {"body": "答复"}, csrf=False)
    assert response.status_code == 400 and "页面已过期" in response.get_data(as_text=True)
    forged = b.post(f"/cases/{number}/events/reply", {"body": "答复", "csrf_token": "forged"})
    assert forged.status_code == 400
    assert case_row(app, number).state == "assigned"


def test_every_form_on_every_page_carries_a_csrf_token(app, world, browser):
    import re
    number = new_letter(app, assign_to="zyx", steps=[("zyx_handler", "reply", {"body": "答复"})])
    new_letter(app)
    for username, url in [("reviewer", "/review"), ("reviewer", f"/cases/{number}"),
                          ("dispatcher", "/dispatch"), ("dispatcher", "/dispatch/new"),
                          ("zyx_handler", "/inbox")]:
        page = browser(username).get(url).get_data(as_text=True)
        forms = re.findall(r'<form[^>]*method="post".*?</form>', page, re.S)
        assert forms, url
        for form in forms:
            assert 'name="csrf_token"' in form, (url, form[:200])


def test_reply_draft_survives_a_reload(app, world, browser):
    number = new_letter(app, assign_to="zyx")
    b = browser("zyx_handler")
    saved = b.post(f"/cases/{number}/draft", {"body": "初步答复：已联系水务公司", "note": "待回电"}, htmx=True)
    assert saved.status_code == 200 and "草稿已保存" in saved.get_data(as_text=True)
    page = b.get(f"/cases/{number}").get_data(as_text=True)
    assert "初步答复：已联系水务公司" in page and "待回电" in page
    assert "初步答复" not in browser("zyx_leader").get(f"/cases/{number}").get_data(as_text=True)
    b.post(f"/cases/{number}/events/reply", {"body": "正式答复"})
    assert "初步答复" not in b.get(f"/cases/{number}").get_data(as_text=True)  # discarded on reply
    assert browser("gaj_handler").post(f"/cases/{number}/draft", {"body": "x"}).status_code == 404


def test_reply_with_evidence_and_download_rules(app, world, browser):
    number = new_letter(app, assign_to="zyx")
    b = browser("zyx_handler")
    pdf = b"%PDF-1.4 evidence"
    response = b.post(f"/cases/{number}/events/reply",
                      {"body": "已整改", "files": (io.BytesIO(pdf), "整改报告.pdf")},
                      content_type="multipart/form-data")
    assert response.status_code == 303
    page = b.get(f"/cases/{number}").get_data(as_text=True)
    assert "整改报告.pdf" in page
    import re
    link = re.search(rf'/cases/{number}/attachments/\d+', page).group(0)
    download = b.get(link)
    assert download.data == pdf and "attachment" in download.headers["Content-Disposition"]
    assert browser("reviewer").get(link).status_code == 200
    assert browser("gaj_handler").get(link).status_code == 404


@pytest.mark.parametrize("name, data, message", [
    ("virus.exe", b"MZ\x90\x00", "类型不允许"),
    ("fake.pdf", b"not a pdf", "内容与扩展名不符"),
])
def test_bad_uploads_are_refused_and_nothing_changes(app, world, browser, name, data, message):
    number = new_letter(app, assign_to="zyx")
    b = browser("zyx_handler")
    response = b.post(f"/cases/{number}/events/reply", {"body": "已整改", "files": (io.BytesIO(data), name)},
                      content_type="multipart/form-data")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert case_row(app, number).state == "assigned"


def test_review_queue_accept_and_return_with_htmx(app, world, browser):
    first = new_letter(app, assign_to="zyx", steps=[("zyx_handler", "reply", {"body": "答复一"})])
    second = new_letter(app, assign_to="gaj", steps=[("gaj_handler", "reply", {"body": "已转交相关部门"})])
    b = browser("reviewer")
    page = b.get("/review").get_data(as_text=True)
    assert page.index(first) < page.index(second)  # oldest first
    assert "答复一" in page and "城关镇自来水频繁停水" in page  # question and reply side by side
    done = b.post(f"/cases/{first}/events/accept", {"_from": "review"}, htmx=True)
    body = done.get_data(as_text=True)
    assert done.status_code == 200 and "审核通过" in body
    # The menu and the queue's total follow: one left.
    assert '审核 <b class="count">1</b>' in body and 'id="queue-total" hx-swap-oob="true">共 1 件待审核' in body
    returned = b.post(f"/cases/{second}/events/return_reply",
                      {"reason": "buck_passing", "comment": "请说明转交哪个部门", "_from": "review"}, htmx=True)
    assert "已发回重办" in returned.get_data(as_text=True)
    assert (case_row(app, first).state, case_row(app, second).state) == ("reviewed", "returned")
    assert "没有待审核的答复" in b.get("/review").get_data(as_text=True)


def test_dispatcher_registers_a_phone_letter(app, world, browser):
    b = browser("dispatcher")
    b.get("/dispatch/new")
    bad = b.post("/dispatch/new", {"subject": "", "body": "内容", "channel": "phone"})
    assert bad.status_code == 400 and "请填写标题" in bad.get_data(as_text=True)
    ok = b.post("/dispatch/new", {"subject": "路灯不亮", "body": "育才路路灯坏了", "channel": "phone",
                                  "category": "help", "citizen_name": "郑女士",
                                  "citizen_phone": "13900000000", "received_at": "2026-11-20T09:15"})
    assert ok.status_code == 303 and "/cases/XJ-" in ok.location
    page = b.get(ok.location).get_data(as_text=True)
    assert "路灯不亮" in page and "12345 便民热线" in page and "2026-11-20 09:15" in page


def test_dispatcher_registers_and_assigns_at_once(app, world, browser):
    b = browser("dispatcher")
    page = b.get("/dispatch/new").get_data(as_text=True)
    assert "暂不派单" in page and "紫阳县人民政府" in page
    ok = b.post("/dispatch/new", {"subject": "燃气泄漏", "body": "楼道有燃气味", "channel": "phone",
                                  "category": "urgent", "unit_code": "zyx"})
    assert ok.status_code == 303
    number = ok.location.rsplit("/", 1)[1]
    assert case_row(app, number).state == "assigned"


def test_a_reply_written_over_hours_is_still_accepted(app, world, browser):
    import time

    import time_machine

    number = new_letter(app, assign_to="zyx")
    b = browser("zyx_handler")
    b.get(f"/cases/{number}")  # the form's token, as the page gave it
    with time_machine.travel(time.time() + 3 * 3600, tick=False):
        response = b.post(f"/cases/{number}/events/reply", {"body": "经核实，已恢复供水。"}, htmx=True)
    assert response.status_code == 200 and case_row(app, number).state == "replied"


def test_a_refused_form_token_keeps_what_was_typed_on_the_page(app, world, browser):
    number = new_letter(app, assign_to="zyx")
    b = browser("zyx_handler")
    b.get(f"/cases/{number}")
    response = b.post(f"/cases/{number}/events/reply", {"body": "写了很久的答复", "csrf_token": "stale"}, htmx=True)
    body = response.get_data(as_text=True)
    # Not swapped over the form: a message above the page, the typed reply left in place.
    assert response.status_code == 400 and response.headers["HX-Retarget"] == "#main"
    assert response.headers["HX-Reswap"] == "afterbegin" and 'role="alert"' in body and "复制" in body
    assert 'id="case"' not in body and case_row(app, number).state == "assigned"
    plain = b.post(f"/cases/{number}/events/reply", {"body": "答复", "csrf_token": "stale"})
    assert plain.status_code == 400 and "页面已过期" in plain.get_data(as_text=True)
