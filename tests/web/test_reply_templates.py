"""答复模板: kept by a unit's leader (its own) and the office (for every unit), offered on the
reply form with the placeholders filled in for the case."""

import html
import re

import sqlalchemy as sa

from casework.extensions import db
from casework.models import ReplyTemplate
from tests.web.helpers import new_letter

BODY = "尊敬的{来信人称呼}：您反映的问题（编号 {编号}）经我单位核实，已于 {日期} 处理完毕。"


def add(b, title, body=BODY, scope="unit"):
    return b.post("/reply-templates", {"title": title, "body": body, "scope": scope})


def test_unit_leader_and_office_keep_their_own_scopes(app, world, browser):
    leader, office, handler = browser("zyx_leader"), browser("reviewer"), browser("zyx_handler")
    assert add(leader, "停水答复").status_code == 303
    assert add(office, "通用答复", scope="office").status_code == 303
    assert add(leader, "越权", scope="office").status_code == 403
    assert add(handler, "承办人不能加").status_code == 403
    assert add(browser("gaj_leader"), "公安局的").status_code == 303
    page = handler.get("/reply-templates").get_data(as_text=True)
    assert "停水答复" in page and "通用答复" in page and "公安局的" not in page
    assert "删除" not in page  # a handler uses templates, does not keep them
    with app.app_context():
        ids = dict(db.session.execute(sa.select(ReplyTemplate.title, ReplyTemplate.id)).all())
    # Another unit's template does not exist for this unit; the office's is not the unit's to change.
    assert leader.post(f"/reply-templates/{ids['公安局的']}", {"title": "x", "body": "y"}).status_code == 404
    assert leader.post(f"/reply-templates/{ids['通用答复']}/delete").status_code == 403
    changed = leader.post(f"/reply-templates/{ids['停水答复']}", {"title": "停水答复（新）", "body": BODY})
    assert changed.status_code == 303
    assert "停水答复（新）" in leader.get("/reply-templates").get_data(as_text=True)
    assert office.post(f"/reply-templates/{ids['通用答复']}/delete").status_code == 303
    with app.app_context():
        assert db.session.get(ReplyTemplate, ids["通用答复"]) is None


def test_bad_templates_are_refused_in_words(app, world, browser):
    leader = browser("zyx_leader")
    response = add(leader, "未知占位符", "您好 {姓名}，……")
    assert response.status_code == 400 and "不认识的占位符：{姓名}" in response.get_data(as_text=True)
    assert add(leader, "", "内容").status_code == 400
    assert add(leader, "空的", "   ").status_code == 400
    assert browser("dispatcher").get("/reply-templates").status_code == 403


def test_a_template_of_stock_phrases_is_marked(app, world, browser):
    leader = browser("zyx_leader")
    add(leader, "套话", "您好，您反映的问题已收到，我们会尽快处理。")
    page = leader.get("/reply-templates").get_data(as_text=True)
    assert "推诿敷衍" in page


def test_reply_form_offers_templates_filled_in_for_the_case(app, world, browser):
    add(browser("zyx_leader"), "停水答复")
    add(browser("admin"), "通用答复", "{来信人称呼}您好：……", scope="office")
    add(browser("gaj_leader"), "公安局的")
    number = new_letter(app, assign_to="zyx", citizen_name="王先生")
    page = browser("zyx_handler").get(f"/cases/{number}").get_data(as_text=True)
    assert "答复模板" in page and "本单位 · 停水答复" in page and "全市通用 · 通用答复" in page
    assert "公安局的" not in page
    texts = [html.unescape(t) for t in re.findall(r'data-text="([^"]*)"', page)]
    filled = next(t for t in texts if t.startswith("尊敬的"))
    assert filled.startswith(f"尊敬的王先生：您反映的问题（编号 {number}）") and "{" not in filled
    assert re.search(r"已于 \d{4}年\d{1,2}月\d{1,2}日 处理完毕", filled)
    anonymous = new_letter(app, assign_to="zyx", citizen_name="")
    page = browser("zyx_handler").get(f"/cases/{anonymous}").get_data(as_text=True)
    assert "尊敬的网友：" in html.unescape(page)
    # No reply form, no picker.
    assert "data-template-for" not in browser("reviewer").get(f"/cases/{number}").get_data(as_text=True)
