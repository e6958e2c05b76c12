"""Two officials acting on the same case at the same moment, on real PostgreSQL."""

import threading

import pytest
import sqlalchemy as sa

from casework.extensions import db
from casework.models import Case, CaseEvent
from casework.services import case_actions, lookup
from tests.factories import build_world, letter
from workflows.errors import Conflict, DomainError


def run_together(app, monkeypatch, actions):
    """Run each action in its own thread and app context (so its own session); all of
    them load the case before any of them writes."""
    barrier = threading.Barrier(len(actions), timeout=10)
    real_case_for = lookup.case_for

    def case_for_then_wait(actor, number):
        case = real_case_for(actor, number)
        barrier.wait()
        return case

    monkeypatch.setattr(lookup, "case_for", case_for_then_wait)
    results = [None] * len(actions)

    def worker(i, action):
        with app.app_context():
            try:
                action()
                results[i] = "ok"
            except DomainError as exc:
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    monkeypatch.setattr(lookup, "case_for", real_case_for)
    return results


def test_two_dispatchers_assign_the_same_letter(pg_app, monkeypatch):
    with pg_app.app_context():
        w = build_world()
        number = letter(w.dispatcher).number
        dispatcher_id = w.dispatcher.id

    def assign(unit_code):
        def action():
            dispatcher = db.session.get(type(w.dispatcher), dispatcher_id)
            case_actions.perform(dispatcher, number, "assign", {"unit_code": unit_code})
        return action

    results = run_together(pg_app, monkeypatch, [assign("zyx"), assign("gaj")])
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "str"]
    loser = next(r for r in results if isinstance(r, Conflict))
    assert "刷新" in loser.message
    with pg_app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.number == number))
        assigns = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                                CaseEvent.event == "assign")).all()
        assert case.state == "assigned" and case.version == 2
        assert len(assigns) == 1 and assigns[0].data["unit"] == case.unit.code


def test_reply_and_reassign_race(pg_app, monkeypatch):
    with pg_app.app_context():
        w = build_world()
        case = letter(w.dispatcher)
        case_actions.perform(w.dispatcher, case.number, "assign", {"unit_code": "zyx"})
        number, ids = case.number, (w.dispatcher.id, w.zyx_handler.id)

    def as_user(user_id, event, fields):
        def action():
            from casework.models import User
            case_actions.perform(db.session.get(User, user_id), number, event, fields)
        return action

    results = run_together(pg_app, monkeypatch, [
        as_user(ids[0], "reassign", {"unit_code": "gaj", "reason": "改派"}),
        as_user(ids[1], "reply", {"body": "已处理"}),
    ])
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "str"]
    with pg_app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.number == number))
        # Exactly one of the two happened, never a reply recorded for a reassigned case.
        assert (case.state, case.unit.code) in {("assigned", "gaj"), ("replied", "zyx")}
        assert case.version == 3


@pytest.mark.parametrize("n", [8])
def test_concurrent_intake_never_shares_a_number(pg_app, n):
    with pg_app.app_context():
        w = build_world()
        dispatcher_id = w.dispatcher.id
    numbers, errors = [], []

    def register():
        with pg_app.app_context():
            try:
                from casework.models import User
                numbers.append(letter(db.session.get(User, dispatcher_id)).number)
            except Exception as exc:  # noqa: BLE001 - the assertion below reports it
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=register) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert errors == []
    assert len(set(numbers)) == n
