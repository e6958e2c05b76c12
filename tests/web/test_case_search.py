"""查询: one search across units for the office and the dispatcher, a unit's own cases only
for a unit, by number, phone, text of letter and reply, unit, type, state and dates."""

import re

from casework import clock
from tests.factories import local
from tests.web.helpers import new_letter


def numbers(page: str) -> set[str]:
    return set(re.findall(r">([A-Z]{2}-\d{4}-\d{6})<", page))


def letters(app):
    with clock.travel(local(2026, 10, 12, 9)):
        water = new_letter(app, assign_to="zyx", subject="城关镇自来水频繁停水", body="近一个月停水四次。",
                           citizen_phone="13909150001")
    heating = new_letter(app, assign_to="gaj", subject="小区供暖温度不达标", body="室温只有十五度。",
                         citizen_phone="13909150002",
                         steps=[("gaj_handler", "reply", {"body": "已责成供热企业排查二次管网，加装循环泵后室温已达标。"})])
    queued = new_letter(app, subject="夜市摊点油烟扰民", body="每晚油烟很大。", citizen_phone="13909150003")
    return water, heating, queued


def test_office_finds_cases_across_units(app, world, browser):
    water, heating, queued = letters(app)
    b = browser("dispatcher")
    assert numbers(b.get(f"/search?q={water.lower()}").get_data(as_text=True)) == {water}
    assert numbers(b.get("/search?q=139 0915 0002").get_data(as_text=True)) == {heating}
    assert numbers(b.get("/search?q=停水").get_data(as_text=True)) == {water}
    # The reply's words find the letter: 循环泵 is only in what the unit answered.
    found = b.get("/search?q=循环泵").get_data(as_text=True)
    assert numbers(found) == {heating}
    assert numbers(b.get("/search?unit=gaj").get_data(as_text=True)) == {heating}
    assert numbers(b.get("/search?state=opened").get_data(as_text=True)) == {queued}
    assert numbers(b.get("/search?date_from=2026-10-01&date_to=2026-10-31").get_data(as_text=True)) == {water}
    assert numbers(b.get("/search?q=停水&unit=gaj").get_data(as_text=True)) == set()
    everything = b.get("/search?type=letter").get_data(as_text=True)
    assert numbers(everything) == {water, heating, queued}
    assert everything.index(queued) < everything.index(water)  # newest first
    assert "<mark>停水</mark>" in b.get("/search?q=停水").get_data(as_text=True)


def test_a_unit_searches_only_its_own_cases(app, world, browser):
    water, heating, _ = letters(app)
    b = browser("zyx_handler")
    assert numbers(b.get("/search?type=letter").get_data(as_text=True)) == {water}
    assert numbers(b.get(f"/search?q={heating}").get_data(as_text=True)) == set()
    assert numbers(b.get("/search?q=13909150002").get_data(as_text=True)) == set()
    assert numbers(b.get("/search?q=供暖").get_data(as_text=True)) == set()
    # Asking for another unit changes nothing: a unit's search is its own.
    assert numbers(b.get("/search?unit=gaj&q=供暖").get_data(as_text=True)) == set()
    assert 'name="unit"' not in b.get("/search").get_data(as_text=True)


def test_bad_input_is_a_400_in_words(app, world, browser):
    b = browser("reviewer")
    for query, message in (("date_from=2026-13-01", "日期应为"), ("state=nonsense", "办理状态无效"),
                           ("type=x", "案件类型无效"), ("date_from=2026-03-02&date_to=2026-03-01", "起始日期晚于")):
        response = b.get(f"/search?{query}")
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert b.get("/search?q=的").status_code == 400
    assert b.get("/search?after=garbage&type=letter").status_code == 200
    assert browser().get("/search").status_code == 302  # to the login page


def test_browse_pages_by_keyset(app, world, browser):
    made = {new_letter(app, subject=f"来信{i:02d}") for i in range(53)}
    b = browser("admin")
    first = b.get("/search?type=letter").get_data(as_text=True)
    more = re.search(r'id="search-more">.*?href="([^"]+)"', first, re.S).group(1).replace("&amp;", "&")
    rest = b.get(more, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert len(numbers(first)) == 50 and numbers(first) | numbers(rest) == made and "<html" not in rest


def test_citizen_text_is_escaped(app, world, browser):
    new_letter(app, subject="<script>alert(1)</script>停水")
    page = browser("admin").get("/search?q=停水").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
