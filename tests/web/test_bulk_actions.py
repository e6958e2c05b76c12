"""Issue 17 (part A): bulk work where it is safe. Each case gets its own event, clock and audit
entry; one that cannot take the action fails alone, with its reason."""

import sqlalchemy as sa

from casework.extensions import db
from casework.models import Case, CaseEvent
from casework.services import case_actions
from tests.web.helpers import case_row, event_count, new_letter, user


def _events(app, number: str, event: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(CaseEvent).join(Case)
                                 .where(Case.number == number, CaseEvent.event == event))


def test_dispatcher_assigns_several_letters_to_one_unit(app, world, browser):
    a, b_, taken = new_letter(app), new_letter(app), new_letter(app)
    stale = new_letter(app)
    version_seen = case_row(app, stale).version - 1  # the row was drawn before a change
    with app.app_context():  # another dispatcher was quicker with this one
        case_actions.perform(user("dispatcher"), taken, "assign", {"unit_code": "gaj"})
    browser_ = browser("dispatcher")
    browser_.get("/dispatch")
    response = browser_.post("/dispatch/bulk", {"numbers": [a, b_, taken, stale], "unit_code": "zyx",
                                                f"version-{stale}": str(version_seen)}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "批量派单：4 件中成功 2 件，未成功 2 件。" in body and 'role="alert"' in body
    assert f"{taken}</a> 未成功：案件当前状态为“办理中”，不能派单。" in body
    assert f"{stale}</a> 未成功：该案件已被他人更新" in body
    assert 'hx-swap-oob="true"' in body  # the counts follow
    for number in (a, b_):
        row = case_row(app, number)
        assert row.state == "assigned" and row.unit_id == world["zyx"] and row.due_at is not None
        assert _events(app, number, "assign") == 1
    assert case_row(app, taken).unit_id == world["gaj"] and _events(app, taken, "assign") == 1
    assert case_row(app, stale).state == "opened"
    queue = browser_.get("/dispatch").get_data(as_text=True)
    assert f'id="item-{stale}"' in queue and f'id="item-{a}"' not in queue


def test_a_bad_unit_changes_nothing_and_keeps_the_selection(app, world, browser):
    a, b_ = new_letter(app), new_letter(app)
    dispatcher = browser("dispatcher")
    dispatcher.get("/dispatch")
    response = dispatcher.post("/dispatch/bulk", {"numbers": [a, b_], "unit_code": "nope"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "找不到承办单位“nope”" in body and 'role="alert"' in body
    assert body.count("checked") >= 2 and f'value="{a}" checked' in body
    assert event_count(app, a) == 1 and case_row(app, b_).state == "opened"
    empty = dispatcher.post("/dispatch/bulk", {"unit_code": "zyx"})
    assert empty.status_code == 400 and "请至少选择一件" in empty.get_data(as_text=True)


def test_a_unit_signs_for_several_cases_at_once(app, world, browser):
    a, b_ = new_letter(app, assign_to="zyx"), new_letter(app, assign_to="zyx")
    signed = new_letter(app, assign_to="zyx", steps=[("zyx_handler", "acknowledge", {})])
    other_unit = new_letter(app, assign_to="gaj")
    handler = browser("zyx_handler")
    inbox = handler.get("/inbox").get_data(as_text=True)
    assert f'name="numbers" value="{a}"' in inbox and f'name="numbers" value="{signed}"' not in inbox
    assert "签收所选案件" in inbox
    response = handler.post("/inbox/acknowledge", {"numbers": [a, b_, signed, other_unit]})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "批量签收：4 件中成功 2 件，未成功 2 件。" in body
    assert f"{signed}</a> 未成功：本单位已签收该案件。" in body
    assert f"{other_unit}</a> 未成功：案件不存在或您无权查看。" in body  # another unit's: 404 alone
    for number in (a, b_):
        assert case_row(app, number).acknowledged_at is not None and _events(app, number, "acknowledge") == 1
    assert case_row(app, other_unit).acknowledged_at is None
