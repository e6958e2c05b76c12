"""What the tests of jobs share: a worker run until idle, the clock set, and the case,
its audit entries, notices and scheduled jobs read outside the app's transaction."""

from datetime import datetime

import sqlalchemy as sa
import time_machine

from casework.extensions import db
from casework.jobs.connection import queue
from casework.jobs.worker import CaseworkSimpleWorker, make_worker
from casework.models import Case, CaseEvent, Notification, User
from casework.services import case_actions
from tests.factories import letter


def drain(app, rounds: int = 6) -> None:
    """Run a worker (with the scheduler) until nothing is left to do now."""
    for _ in range(rounds):
        worker = make_worker(app, CaseworkSimpleWorker)
        if not worker.work(burst=True, with_scheduler=True, logging_level="WARNING"):
            return


def at(instant: datetime):
    return time_machine.travel(instant, tick=False)


def scheduled(app) -> set[str]:
    with app.app_context():
        return set(queue().scheduled_job_registry.get_job_ids())


def case_of(app, number: str) -> Case:
    with app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.number == number))
        db.session.expunge(case)
        return case


def events(app, number: str, name: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(CaseEvent.id)).join(Case).where(
            Case.number == number, CaseEvent.event == name))


def notified(app, number: str, kind: str) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(sa.select(User.username).join(Notification, Notification.user_id == User.id)
                                      .join(Case, Notification.case_id == Case.id)
                                      .where(Case.number == number, Notification.kind == kind)))


def assign(app, world, when: datetime, **fields) -> str:
    with app.app_context(), at(when):
        dispatcher = db.session.get(User, world["dispatcher"])
        number = letter(dispatcher, **fields).number
        case_actions.perform(dispatcher, number, "assign", {"unit_code": "zyx"})
        return number


def act(app, username: str, number: str, event: str, when: datetime, **fields) -> None:
    with app.app_context(), at(when):
        user = db.session.scalar(sa.select(User).where(User.username == username))
        case_actions.perform(user, number, event, fields)
