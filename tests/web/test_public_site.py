"""The public site: its home, layout and footer, the 长辈版 switch, and the list of
published letters with Chinese search, filters and pages."""

import re

import pytest

from casework.queries import public_letters as listing_queries
from tests.web.helpers import user


def published_letter(app, subject, body="", reply="已处理。", unit="zyx", category="help", received=None):
    """A letter answered, closed and published through the services; returns its number."""
    from casework import clock
    from casework.extensions import db
    from casework.services import case_actions
    from casework.services.tx import transaction
    from tests.factories import letter
    with app.app_context():
        with clock.travel(received or clock.now()):
            case = letter(user("dispatcher"), subject=subject, body=body or subject, category=category)
            for username, event, data in [("dispatcher", "assign", {"unit_code": unit}),
                                          (f"{unit}_handler", "reply", {"body": reply}),
                                          ("reviewer", "accept", {}), ("reviewer", "close", {})]:
                case_actions.perform(user(username), case.number, event, data)
        with transaction():
            db.session.merge(case).consent_publish = True
        case_actions.perform(user("reviewer"), case.number, "publish_answer",
                             {"subject": subject, "body": body or subject, "reply": reply})
        return case.number


def test_visitors_get_the_public_home_and_staff_their_own_page(app, world, browser):
    number = published_letter(app, "新桥社区频繁停水")
    page = browser().get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "我要写信" in html and "留言须知" in html and "新桥社区频繁停水" in html
    assert f"/letters/{number}" in html and "工作人员登录" in html
    assert "督办系统" not in html  # the staff system's name is not the public site's
    staff = browser("dispatcher").get("/")
    assert staff.status_code == 302 and staff.headers["Location"].endswith("/dispatch")


def test_every_public_page_has_the_site_navigation_and_footer_from_settings(app, world, browser):
    app.config.update(PORTAL_CITY="安康市", PORTAL_SPONSOR="安康市人民政府办公室", PORTAL_SITE_CODE="6109000001",
                      PORTAL_ICP="陕ICP备12345678号", PORTAL_PSB="", PORTAL_CONTACT="0915-3201058")
    for url in ("/", "/letters/new", "/letters/query", "/letters", "/stats", "/letters/XJ-2020-000001"):
        html = browser().get(url).get_data(as_text=True)
        for text in ("安康市", "市长信箱", "主办单位：安康市人民政府办公室", "网站标识码：6109000001",
                     "陕ICP备12345678号", "联系方式：0915-3201058", 'href="#main"', "写信", "查询", "公开信件", "统计"):
            assert text in html, (url, text)
        assert "公安备案" not in html  # an empty setting leaves its line out
    assert 'aria-current="page">公开信件' in browser().get("/letters").get_data(as_text=True)


def test_the_large_text_switch_is_a_cookie_every_page_honours(app, world, browser):
    b = browser()
    assert 'class="large-text"' not in b.get("/letters").get_data(as_text=True)
    switched = b.get("/display/large?next=/letters?page=1")
    assert switched.status_code == 303 and switched.headers["Location"] == "/letters?page=1"
    for url in ("/", "/letters/new", "/stats", "/login"):
        assert '<html lang="zh-CN" class="large-text">' in b.get(url).get_data(as_text=True), url
    assert "标准版" in b.get("/").get_data(as_text=True)
    b.get("/display/standard?next=/")
    assert 'class="large-text"' not in b.get("/").get_data(as_text=True)
    # Only a path on this site: never a redirect to another host.
    for target in ("//evil.example/", "https://evil.example/"):
        assert b.get(f"/display/large?next={target}").headers["Location"] == "/"


def test_the_list_shows_its_columns_and_a_same_day_answer(app, world, browser):
    number = published_letter(app, "城区路灯不亮", category="suggestion")
    html = browser().get("/letters").get_data(as_text=True)
    for text in ("编号", "标题", "类别", "承办单位", "来信日期", "答复日期", "办理用时",
                 number, "城区路灯不亮", "建议", "紫阳县人民政府", "当日办结"):
        assert text in html, text


def test_chinese_search_and_filters(app, world, browser):
    from tests.factories import local
    water = published_letter(app, "新桥社区频繁停水", "新桥社区近一个月停水四次。", category="help")
    power = published_letter(app, "城北片区夜间停电", "夜间经常停电，影响老人用氧。", unit="gaj", category="complaint",
                             received=local(2026, 3, 2, 10))
    school = published_letter(app, "学校门口交通拥堵", "上学时段车辆乱停。", category="suggestion")

    def found(**args):
        html = browser().get("/letters", query_string=args).get_data(as_text=True)
        return {n for n in (water, power, school) if n in html}

    assert found(q="停水") == {water}
    assert found(q="停") == set()  # one character: asked for more, not a million-row scan
    assert "请至少输入两个汉字" in browser().get("/letters?q=停").get_data(as_text=True)
    assert found(q="社区 停水") == {water} and found(q="夜间停电") == {power}
    assert found(q="老人用氧") == {power}  # the body is searched too
    assert found(q="停水停电") == set()  # every pair must be there
    assert found(q=power.lower()) == {power}  # a letter number finds that letter
    assert found(unit="gaj") == {power}
    assert found(category="suggestion") == {school}
    assert found(month="2026-03") == {power}
    assert found(q="停电", unit="zyx") == set()
    assert browser().get("/letters?month=2026-13").status_code == 200
    assert browser().get("/letters?category=nonsense").status_code == 200


def test_pages_of_the_list(app, world, browser, monkeypatch):
    monkeypatch.setattr(listing_queries, "PER_PAGE", 2)
    numbers = [published_letter(app, f"第{i}号来信 停水") for i in range(5)]
    first = browser().get("/letters").get_data(as_text=True)
    assert numbers[-1] in first and numbers[0] not in first and "下一页" in first and "上一页" not in first
    last = browser().get("/letters?page=3&q=停水").get_data(as_text=True)
    assert "第 3 页" in last and numbers[0] in last and "上一页" in last and "下一页" not in last
    assert "page=2&amp;q=" in last  # the search is kept when turning pages
    monkeypatch.setattr(listing_queries, "MAX_PAGE", 2)
    capped = browser().get("/letters?page=99").get_data(as_text=True)
    assert "第 2 页" in capped and "下一页" not in capped


@pytest.mark.parametrize("url", ["/letters/new", "/letters/query", "/letters", "/"])
def test_public_pages_carry_no_staff_navigation(app, world, browser, url):
    html = browser().get(url).get_data(as_text=True)
    assert "退出" not in html and not re.search(r'href="/(inbox|review|dispatch|overview)"', html)


def test_ratings_reasons_reach_the_office(app, world, browser):
    from casework.permissions import Citizen
    from casework.services import case_actions
    number = published_letter(app, "停水问题")
    with app.app_context():
        case_actions.perform(Citizen(frozenset({number})), number, "rate",
                             {"rating": "unsatisfied", "reasons": ["unsolved"]})
    case_page = browser("reviewer").get(f"/cases/{number}").get_data(as_text=True)
    assert "问题没有解决" in case_page and "不满意" in case_page
