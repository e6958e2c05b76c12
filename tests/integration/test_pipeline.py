"""The after-commit pipeline: subscribers hear of committed work only, once, and a
failing subscriber never undoes the commit (reconciliation repairs what it missed)."""

import logging

import pytest
import sqlalchemy as sa

from casework.events import CalendarChanged, CaseChanged, CaseEventRecorded, UsersNotified
from casework.extensions import db
from casework.models import Case
from casework.pipeline import emit
from casework.services.tx import transaction
from tests.conftest import make_app
from tests.factories import act, build_world, letter


@pytest.fixture
def spied(backend, tmp_path, request):
    """An app whose pipeline starts with a spy and a subscriber that fails on demand."""
    app = make_app(backend, tmp_path, request)
    heard, failing = [], {"on": False}

    def spy(batch):
        heard.append(batch)

    def broken(batch):
        if failing["on"]:
            raise RuntimeError("subscriber down")

    pipeline = app.extensions["casework.pipeline"]
    pipeline.subscribers[:0] = [("broken", broken), ("spy", spy)]
    with app.app_context():
        world = build_world()
        heard.clear()
        yield app, world, heard, failing
        db.session.remove()
        db.engine.dispose()


def test_a_commit_hands_its_case_changes_to_every_subscriber(spied):
    _, w, heard, _ = spied
    case = letter(w.dispatcher)
    act(w.dispatcher, case, "assign", unit_code="zyx")
    assert len(heard) == 2  # one batch per committed transaction
    change = heard[1].case_changes()[case.id]
    assert change.unit_ids == {w.zyx.id}
    assert change.jobs_before == frozenset()
    assert {kind for kind, _ in change.jobs_after} == {"remind", "overdue", "escalate"}


def test_a_failing_subscriber_does_not_undo_the_commit(spied, caplog):
    _, w, heard, failing = spied
    case = letter(w.dispatcher)
    failing["on"] = True
    with caplog.at_level(logging.ERROR, logger="casework.pipeline"):
        act(w.dispatcher, case, "assign", unit_code="zyx")
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == "assigned"       # the commit stands
    assert heard[-1].case_changes()[case.id].unit_ids == {w.zyx.id}  # later subscribers still ran
    assert "subscriber broken failed" in caplog.text


def test_a_commit_that_rolls_back_notifies_nobody(spied):
    _, w, heard, _ = spied
    case = letter(w.dispatcher)
    heard.clear()
    with pytest.raises(RuntimeError), transaction():
        db.session.get(Case, case.id).subject = "changed"
        db.session.flush()                      # the change was seen by the observers...
        emit(UsersNotified(frozenset({w.admin.id})))
        raise RuntimeError("then the transaction fails")
    assert heard == []                          # ...but nobody hears of it
    assert db.session.scalar(sa.select(Case.subject).where(Case.id == case.id)) != "changed"
    with transaction():                          # and the next commit carries only its own work
        emit(CalendarChanged())
    assert [type(e) for e in heard[0].events] == [CalendarChanged]


def test_a_conflict_notifies_nobody(spied):
    _, w, heard, _ = spied
    case = letter(w.dispatcher)
    heard.clear()
    from casework.services import case_actions
    from workflows.errors import Conflict
    with pytest.raises(Conflict):
        case_actions.perform(w.dispatcher, case.number, "assign", {"unit_code": "zyx"},
                             expected_version=case.version + 5)
    assert heard == []


def test_nested_transactions_dispatch_once_when_the_outermost_commits(spied):
    _, w, heard, _ = spied
    with transaction():
        first = letter(w.dispatcher)     # register_letter's own transaction joins this one
        second = letter(w.dispatcher)
        assert heard == []
    assert len(heard) == 1
    assert set(heard[0].case_changes()) == {first.id, second.id}
    assert all(isinstance(e, CaseChanged | CaseEventRecorded) for e in heard[0].events)
    # Each audit entry is heard too (hand-off notices react to them).
    assert [(e.case_id, e.event) for e in heard[0].of(CaseEventRecorded)] == [(first.id, "create"),
                                                                              (second.id, "create")]
