from casework import clock
from tests.factories import local
from tests.web.helpers import new_letter


def test_inbox_sorted_by_due_date_with_counts_and_filters(app, world, browser):
    with clock.travel(local(2026, 11, 2, 9)):
        late = new_letter(app, assign_to="zyx", subject="早已超期的来信")
    with clock.travel(local(2026, 11, 20, 9)):
        soon = new_letter(app, assign_to="zyx", category="urgent", subject="紧急来信")
    normal = new_letter(app, assign_to="zyx", subject="普通来信")
    returned = new_letter(app, assign_to="zyx", subject="被退回的来信",
                          steps=[("zyx_handler", "reply", {"body": "已转交"}),
                                 ("reviewer", "return_reply", {"reason": "buck_passing"})])
    new_letter(app, assign_to="gaj", subject="公安局的来信")
    b = browser("zyx_handler")
    page = b.get("/inbox").get_data(as_text=True)
    assert "公安局的来信" not in page
    order = [page.index(n) for n in (late, soon)]
    assert order == sorted(order)
    assert "已超期" in page and normal in page and returned in page
    assert '已超期 <b class="count danger">2</b>' in page  # late and the urgent one (due 11-20)
    assert '待办 <b class="count">4</b>' in page
    assert '被退回 <b class="count">1</b>' in page

    only_overdue = b.get("/inbox?overdue=1").get_data(as_text=True)
    assert late in only_overdue and normal not in only_overdue
    assert returned in b.get("/inbox?tab=returned").get_data(as_text=True)
    assert normal not in b.get("/inbox?tab=returned").get_data(as_text=True)
    search = b.get("/inbox?q=普通").get_data(as_text=True)
    assert normal in search and late not in search
    assert late in b.get(f"/inbox?q={late.lower()}").get_data(as_text=True)
    assert late in b.get("/inbox?month=2026-11").get_data(as_text=True)
    assert late not in b.get("/inbox?month=2026-10").get_data(as_text=True)
    assert "普通来信" not in b.get("/inbox?q=%25").get_data(as_text=True)  # LIKE wildcards escaped


def test_inbox_keyset_pagination(app, world, browser):
    numbers = [new_letter(app, assign_to="zyx", subject=f"来信{i:02d}") for i in range(23)]
    b = browser("zyx_handler")
    first = b.get("/inbox").get_data(as_text=True)
    assert "共 23 件" in first and "加载更多" in first
    import re
    more = re.search(r'id="inbox-more">.*?href="([^"]+)"', first, re.S).group(1).replace("&amp;", "&")
    rest = b.get(more, headers={"HX-Request": "true"}).get_data(as_text=True)
    shown_first = set(re.findall(r"XJ-\d{4}-\d{6}", first))
    shown_rest = set(re.findall(r"XJ-\d{4}-\d{6}", rest))
    assert len(shown_first) == 20 and len(shown_rest) == 3
    assert shown_first | shown_rest == set(numbers) and "<html" not in rest
    assert "加载更多" not in rest
    garbage = b.get("/inbox?after=not-a-cursor")
    assert garbage.status_code == 200  # a bad cursor starts from the top
