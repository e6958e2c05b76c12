from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from casework.extensions import db
from casework.models import Case, User
from casework.services import case_actions
from tests.factories import letter


def user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def new_letter(app, assign_to: str | None = None, steps=(), **fields) -> str:
    """Register a letter (and optionally assign it and run more steps); returns its number."""
    with app.app_context():
        case = letter(user("dispatcher"), **fields)
        if assign_to:
            case_actions.perform(user("dispatcher"), case.number, "assign", {"unit_code": assign_to})
        for username, event, data in steps:
            case_actions.perform(user(username), case.number, event, data)
        return case.number


def case_row(app, number: str) -> Case:
    with app.app_context():
        case = db.session.scalar(sa.select(Case).options(selectinload(Case.publication), selectinload(Case.rating))
                                 .where(Case.number == number))
        db.session.expunge(case)
        return case


def event_count(app, number: str) -> int:
    from casework.models import CaseEvent
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(CaseEvent.id)).join(Case)
                                 .where(Case.number == number))
