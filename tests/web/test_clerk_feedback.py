"""Issue 17 (part A): feedback a clerk can trust, and counts that mean what they say."""

import re

import sqlalchemy as sa

from casework import clock
from casework.extensions import db
from casework.models import Unit
from tests.factories import local
from tests.web.helpers import case_row, event_count, new_letter


def test_success_and_error_look_different_and_name_their_case(app, world, browser):
    number = new_letter(app, assign_to="zyx")
    b = browser("zyx_handler")
    done = b.post(f"/cases/{number}/events/acknowledge", {}, follow_redirects=True).get_data(as_text=True)
    assert f'<div class="flash flash-success" role="status">{number} 已签收</div>' in done
    again = b.post(f"/cases/{number}/events/acknowledge", {}, htmx=True)
    body = again.get_data(as_text=True)
    assert again.status_code == 409 and 'role="alert"' in body and "本单位已签收该案件" in body
    # A flashed error (plain form) is an alert in the error style, never the green box.
    with app.test_request_context():
        from flask import get_flashed_messages, render_template

        from casework.web.errors import flash_error
        from workflows.errors import Conflict
        flash_error(Conflict("该月份已发布。"))
        html = render_template("_flash.html", category="error", message=get_flashed_messages()[0])
    assert html.startswith('<div class="flash flash-error" role="alert">该月份已发布。')


def test_every_action_form_disables_its_button_and_shows_it_is_busy(app, world, browser):
    number = new_letter(app)
    page = browser("dispatcher").get("/dispatch").get_data(as_text=True)
    forms = re.findall(r'<form id="form-[^"]+"[^>]*>', page)
    assert forms and all('hx-disabled-elt="find button"' in f for f in forms)
    assert page.count('class="htmx-indicator busy"') >= len(forms)
    merge = next(f for f in forms if 'data-event="merge"' in f)
    dismiss = next(f for f in forms if 'data-event="dismiss"' in f)
    assert f'hx-confirm="并单后 {number} 即办结' in merge
    assert f'hx-confirm="不予受理后 {number} 即办结' in dismiss


def test_merge_with_a_wrong_primary_number_keeps_the_card_and_the_number(app, world, browser):
    number = new_letter(app)
    b = browser("dispatcher")
    b.get("/dispatch")
    before = (case_row(app, number).version, event_count(app, number))
    response = b.post(f"/cases/{number}/events/merge",
                      {"primary_number": "XJ-2026-999999", "_from": "dispatch"}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == f"#form-{number}-merge"  # the form, not the card
    assert "找不到主案件“XJ-2026-999999”" in body and 'value="XJ-2026-999999"' in body
    assert "案件不存在或您无权查看" not in body
    assert (case_row(app, number).version, event_count(app, number)) == before
    assert f'id="item-{number}"' in b.get("/dispatch").get_data(as_text=True)  # still queued


def test_the_overview_badge_counts_the_cases_the_overview_lists(app, world, browser):
    with app.app_context(), clock.travel(local(2025, 9, 1, 10)):
        late = new_letter(app, assign_to="zyx")  # long overdue by now
    asked = new_letter(app, assign_to="gaj", steps=[("gaj_handler", "request_extension",
                                                     {"days": 3, "reason": "需现场核实"})])
    new_letter(app, assign_to="zyx")  # nothing the office must look at
    page = browser("reviewer").get("/overview").get_data(as_text=True)
    badge = re.search(r'督办 <b class="count warn">(\d+)</b>', page).group(1)
    assert badge == "2" and "本页共列 <b>2</b> 件案件" in page
    assert "已超期（1）" in page and "延期申请（1）" in page and late in page and asked in page
    # Every other office page shows the same number.
    other = browser("dispatcher").get("/dispatch").get_data(as_text=True)
    assert re.search(r'督办 <b class="count warn">(\d+)</b>', other).group(1) == "2"


def test_a_leader_has_a_tab_and_a_count_of_replies_to_approve(app, world, browser):
    with app.app_context():
        db.session.scalar(sa.select(Unit).where(Unit.code == "zyx")).requires_leader_approval = True
        db.session.commit()
    number = new_letter(app, assign_to="zyx", steps=[("zyx_handler", "submit_reply", {"body": "已恢复供水。"})])
    new_letter(app, assign_to="zyx")
    leader = browser("zyx_leader")
    page = leader.get("/inbox").get_data(as_text=True)
    assert re.search(r'待审签 <b class="count warn">1</b>', page)
    tab = leader.get("/inbox?tab=approving").get_data(as_text=True)
    rows = re.findall(r"<td><a href=\"/cases/(XJ-[\d-]+)\">", tab)
    assert rows == [number]


def test_inbox_search_is_kept_across_tabs_and_filters(app, world, browser):
    new_letter(app, assign_to="zyx", subject="自来水停水")
    page = browser("zyx_handler").get("/inbox?q=停水&type=letter").get_data(as_text=True)
    tabs = re.findall(r'<a href="(/inbox\?[^"]+)" class="[^"]*" role="tab">', page)
    assert len(tabs) == 5 and all("q=%E5%81%9C%E6%B0%B4" in t and "type=letter" in t for t in tabs)
    assert 'name="q" value="停水"' in page  # the filter form carries it too
