"""The dispatcher's side of the knowledge base: similar letters whatever their arrival
order (并单), the unit that answered the most similar letters, and the 督办 page's 高频诉求."""

from __future__ import annotations

import re
from datetime import timedelta

from casework import clock
from tests.web.helpers import new_letter


def item(page: str, number: str) -> str:
    """The dispatch queue's block for one letter."""
    start = page.index(f'id="item-{number}"')
    end = page.find('<article id="item-', start + 1)
    return page[start:end if end > 0 else len(page)]


def test_a_phone_letter_received_earlier_but_registered_later_gets_the_duplicate_hint(app, world, browser):
    # The web letter arrives first; the phone call about the same matter, taken the day
    # before, is typed in afterwards with its real (earlier) receipt time.
    web = new_letter(app, subject="新桥社区频繁停水", citizen_phone="13900002222", channel="web")
    earlier = (clock.now() - timedelta(days=1)).isoformat()
    phone = new_letter(app, subject="新桥社区又停水了", citizen_phone="13900002222", channel="phone",
                       received_at=earlier)
    page = browser("dispatcher").get("/dispatch").get_data(as_text=True)
    assert "可能重复" in item(page, phone) and web in item(page, phone)
    assert "可能重复" in item(page, web) and phone in item(page, web)


ANSWERED = [("zyx", "reply", {"body": "已责成供热企业排查管网并入户测温，室温已恢复到18摄氏度以上。"}),
            ("reviewer", "accept", {}), ("reviewer", "close", {})]


def test_the_dispatcher_sees_similar_letters_and_the_unit_that_answered_them(app, world, browser):
    for subject in ("紫阳县城关镇暖气不热", "城关镇小区暖气片冰凉", "暖气不热室温只有12度"):
        new_letter(app, assign_to="zyx", subject=subject, body="小区供暖温度不达标，屋里很冷。",
                   citizen_phone="13900003333", steps=[("zyx_handler", *s[1:]) if s[0] == "zyx" else s
                                                       for s in ANSWERED])
    open_one = new_letter(app, assign_to="gaj", subject="小区暖气不热", body="供暖温度不达标，家里很冷。",
                          citizen_phone="13900004444")
    queued = new_letter(app, subject="我家暖气不热怎么办", body="今年供暖以来屋里温度一直不达标。",
                        citizen_phone="13900005555")
    new_letter(app, subject="路灯不亮", body="小区门口路灯坏了。", citizen_phone="13900006666")
    dispatcher = browser("dispatcher")
    block = item(dispatcher.get("/dispatch").get_data(as_text=True), queued)
    assert "可能重复" in block and open_one in block and "相似度" in block
    assert "建议派给：</strong>紫阳县人民政府" in block and "3 件类似来信" in block
    response = dispatcher.post(f"/cases/{queued}/events/assign",
                               {"unit_code": "zyx", "_from": "dispatch", "_version": re.search(
                                   r'name="_version" value="(\d+)"', block).group(1)}, htmx=True)
    assert response.status_code == 200
    from tests.web.helpers import case_row
    assert case_row(app, queued).unit_id == world["zyx"]


def test_hot_topics_on_the_overview_flag_a_rise(app, world, browser):
    for i in range(4):
        new_letter(app, subject=f"小区暖气不热{i}", body="供暖温度不达标。", category="complaint",
                   citizen_phone=f"1390000700{i}")
    new_letter(app, subject="路灯不亮", body="路灯坏了。", citizen_phone="13900008000")
    page = browser("reviewer").get("/overview").get_data(as_text=True)
    assert "高频诉求" in page and "供暖" in page and "来信中：暖气" in page and "上升" in page and "投诉" in page
    fragment = browser("reviewer").get("/knowledge/hot?days=30&by=area", headers={"HX-Request": "true"})
    assert fragment.get_data(as_text=True).lstrip().startswith('<section id="hot-topics"')
    assert browser("zyx_handler").get("/knowledge/hot").status_code == 403


def test_hot_topics_are_kept_five_minutes_then_computed_anew(app, world, browser):
    from casework.queries import hot_topics

    new_letter(app, subject="小区暖气不热", body="供暖温度不达标。", citizen_phone="13900007100")
    with app.app_context():
        now = clock.now()
        first = hot_topics.recent(now)
        new_letter(app, subject="小区暖气不热二", body="供暖温度不达标。", citizen_phone="13900007101")
        assert hot_topics.recent(now + timedelta(minutes=4)) is first  # kept
        assert [c.count for c in hot_topics.clusters(now + timedelta(minutes=4)).clusters] == [2]
        later = hot_topics.recent(now + timedelta(minutes=5, seconds=1))
        assert later is not first and [c.count for c in later.clusters] == [2]
