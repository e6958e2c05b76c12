"""Every page, for the roles that may see it and the ones that may not."""

import pytest

from tests.web.helpers import new_letter


@pytest.mark.parametrize("username, allowed, forbidden", [
    ("zyx_handler", ["/inbox", "/inbox?tab=closed", "/inbox?tab=returned&overdue=1"], ["/review", "/dispatch", "/overview", "/dispatch/new"]),
    ("reviewer", ["/review", "/overview"], ["/inbox", "/dispatch", "/dispatch/new"]),
    ("dispatcher", ["/dispatch", "/dispatch?tab=rejected", "/dispatch/new", "/overview"], ["/inbox", "/review"]),
    ("admin", ["/review", "/dispatch", "/overview", "/dispatch/new"], ["/inbox"]),
])
def test_role_pages(app, world, browser, username, allowed, forbidden):
    new_letter(app, assign_to="zyx")
    b = browser(username)
    for url in allowed:
        response = b.get(url)
        assert response.status_code == 200, url
        assert '<html lang="zh-CN">' in response.get_data(as_text=True)
    for url in forbidden:
        response = b.get(url)
        assert response.status_code == 403, url
        assert "无权" in response.get_data(as_text=True)


def test_another_units_case_is_404_not_403(app, world, browser):
    number = new_letter(app, assign_to="gaj")
    b = browser("zyx_handler")
    response = b.get(f"/cases/{number}")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert number not in body and "城关镇" not in body
    assert b.post(f"/cases/{number}/events/reply", {"body": "x"}).status_code == 404
    assert browser("gaj_handler").get(f"/cases/{number}").status_code == 200


def test_case_page_shows_letter_deadline_timeline_and_only_allowed_actions(app, world, browser):
    number = new_letter(app, assign_to="zyx")
    page = browser("zyx_handler").get(f"/cases/{number}").get_data(as_text=True)
    assert "城关镇自来水频繁停水" in page and "王先生" in page
    assert "办理期限" in page and "派单" in page and "紫阳县人民政府" in page
    for label in ("签收", "退单", "提交答复", "申请延期", "中止办理"):
        assert label in page
    for label in ("审核通过", "发回重办", "改派", "不予受理"):
        assert f">{label}</button>" not in page
    reviewer_page = browser("reviewer").get(f"/cases/{number}").get_data(as_text=True)
    assert ">调整期限</button>" in reviewer_page and ">提交答复</button>" not in reviewer_page


def test_htmx_gets_a_fragment_and_responses_vary(app, world, browser):
    number = new_letter(app, assign_to="zyx")
    b = browser("zyx_handler")
    full = b.get(f"/cases/{number}")
    fragment = b.get(f"/cases/{number}", headers={"HX-Request": "true"})
    assert "<html" in full.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True) and 'id="case"' in fragment.get_data(as_text=True)
    restore = b.get(f"/cases/{number}", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    boosted = b.get(f"/cases/{number}", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in restore.get_data(as_text=True) and "<html" in boosted.get_data(as_text=True)
    assert "HX-Request" in full.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]


def test_security_headers(app, world, browser):
    response = browser("reviewer").get("/review")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_citizen_text_is_escaped(app, world, browser):
    number = new_letter(app, assign_to="zyx", subject="<script>alert(1)</script>标题",
                        body='<img src=x onerror="alert(2)">正文')
    for username in ("zyx_handler", "reviewer"):
        page = browser(username).get(f"/cases/{number}").get_data(as_text=True)
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;标题" in page
        assert "<img src=x" not in page
    inbox = browser("zyx_handler").get("/inbox").get_data(as_text=True)
    assert "<script>alert(1)" not in inbox


def test_static_assets_are_vendored(app, world, browser):
    page = browser("reviewer").get("/review").get_data(as_text=True)
    assert "/static/vendor/htmx-2.0.11.min.js" in page and "https://" not in page
    assert browser().get("/static/vendor/htmx-2.0.11.min.js").status_code == 200


def test_overview_lists_overdue_and_per_unit_counts(app, world, browser):
    from casework import clock
    from tests.factories import local

    with clock.travel(local(2026, 3, 2, 9)):
        number = new_letter(app, assign_to="zyx")
    page = browser("reviewer").get("/overview").get_data(as_text=True)
    assert number in page and "已超期" in page and "紫阳县人民政府" in page
