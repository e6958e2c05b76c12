from casework import clock
from casework.services import watch
from tests.factories import local
from tests.web.helpers import new_letter


def test_notifications_page_bell_and_supervision_list(app, world, browser):
    with clock.travel(local(2026, 3, 2, 9)):
        number = new_letter(app, assign_to="zyx")
    with app.app_context():
        watch.mark_overdue(local(2026, 3, 10, 9))
        watch.escalate(local(2026, 3, 12, 9))
    handler = browser("zyx_handler")
    page = handler.get("/inbox").get_data(as_text=True)
    assert '通知 <b class="count danger">2</b>' in page  # overdue + escalated
    notes = handler.get("/notifications").get_data(as_text=True)
    assert "已超期" in notes and "列入督办" in notes and number in notes
    assert handler.post("/notifications/read").status_code == 303
    assert '通知 <b class' not in handler.get("/inbox").get_data(as_text=True)
    overview = browser("reviewer").get("/overview").get_data(as_text=True)
    assert "列入督办（1）" in overview and number in overview
    timeline = browser("reviewer").get(f"/cases/{number}").get_data(as_text=True)
    assert "标记超期" in timeline and "列入督办" in timeline and "系统" in timeline
