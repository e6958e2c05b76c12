"""The 督办 page lists the first rows of each list and links to the whole list, page by
page; its table per unit is cached but follows every committed change at once."""

from __future__ import annotations

import re

from casework import clock
from casework.web import overview
from tests.factories import local
from tests.web.helpers import new_letter


def numbers(page: str) -> list[str]:
    return re.findall(r'<a href="/cases/([^"]+)">', page)


def waiting(page: str, unit: str) -> int:
    return int(re.search(rf"<tr><td>{unit}</td><td>(\d+)</td>", page).group(1))


def test_the_page_shows_the_first_rows_and_the_list_has_them_all(app, world, browser, monkeypatch):
    monkeypatch.setattr(overview, "ON_PAGE", 3)
    monkeypatch.setattr(overview, "PER_PAGE", 2)
    with clock.travel(local(2026, 3, 2, 9)):
        late = [new_letter(app, assign_to="zyx", subject=f"路灯不亮 {i}") for i in range(5)]
    b = browser("reviewer")
    page = b.get("/overview").get_data(as_text=True)
    assert "已超期（5，显示前 3 件）" in page and "查看全部 5 件已超期案件" in page
    assert [n for n in numbers(page) if n in late] == late[:3]  # oldest due first, then id

    seen = []
    for number in (1, 2, 3):
        listed = b.get(f"/overview/overdue?page={number}").get_data(as_text=True)
        assert "已超期（5 件）" in listed
        seen += [n for n in numbers(listed) if n in late]
        assert ("下一页" in listed) == (number < 3) and ("上一页" in listed) == (number > 1)
    assert seen == late


def test_a_list_page_refuses_what_it_does_not_know(app, world, browser):
    b = browser("reviewer")
    assert b.get("/overview/nonsense").status_code == 404
    for bad in ("0", "x", "-1"):
        response = b.get(f"/overview/overdue?page={bad}")
        assert response.status_code == 400 and "页码" in response.get_data(as_text=True)
    assert b.get("/overview/unsatisfied").status_code == 200
    assert browser("zyx_handler").get("/overview/overdue").status_code == 403


def test_the_table_per_unit_follows_a_change_at_once(app, world, browser):
    new_letter(app, assign_to="zyx")
    b = browser("reviewer")
    assert waiting(b.get("/overview").get_data(as_text=True), "紫阳县人民政府") == 1  # now cached
    new_letter(app, assign_to="zyx")  # the dispatcher, in another session
    assert waiting(b.get("/overview").get_data(as_text=True), "紫阳县人民政府") == 2
