"""Everything the case page shows, loaded in a handful of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflows import timeline as entries
from workflows.errors import NotFound

from ..extensions import db
from ..models import Attachment, Case, CaseEvent, Reply, ReplyDraft, Review, User


@dataclass
class TimelineEntry:
    event: CaseEvent
    label: str
    details: list[str]


def _name_of(relation):
    """People appear by name only (display name on the page, username in the API): load
    no more of their row."""
    return joinedload(relation).load_only(User.display_name, User.username)


def timeline_events(case: Case) -> list[CaseEvent]:
    return db.session.scalars(sa.select(CaseEvent).options(_name_of(CaseEvent.actor))
                              .where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).all()


def event_rows(case_id: int) -> list[sa.Row]:
    """The audit trail as plain rows with the actor's username (the API's timeline): no
    ORM objects to build for what is only serialized."""
    e = CaseEvent
    return db.session.execute(
        sa.select(e.event, e.from_state, e.to_state, e.at, e.comment, e.data,
                  User.username.label("actor_name"))
        .outerjoin(User, User.id == e.actor_id)
        .where(e.case_id == case_id).order_by(e.id)).all()


class EventRow(NamedTuple):
    """An `event_rows` row, for events still in hand."""

    event: str
    from_state: str | None
    to_state: str | None
    at: datetime
    comment: str | None
    data: dict
    actor_name: str | None


def own_event_rows(events: list[CaseEvent], actor) -> list[EventRow] | None:
    """`event_rows` of events in hand that `actor` recorded (no query); None if another
    actor recorded any of them."""
    if any(e.actor_id != actor.id for e in events):
        return None
    return [EventRow(e.event, e.from_state, e.to_state, e.at, e.comment, e.data, actor.username) for e in events]


def timeline(case: Case) -> list[TimelineEntry]:
    return [TimelineEntry(e, entries.label(e.event),
                          entries.details(e.event, e.data, e.from_state, e.to_state))
            for e in timeline_events(case)]


def replies(case: Case) -> list[Reply]:
    return db.session.scalars(sa.select(Reply).options(
        joinedload(Reply.review).joinedload(Review.reviewer).load_only(User.display_name),
        _name_of(Reply.author))
                              .where(Reply.case_id == case.id).order_by(Reply.attempt)).all()


@dataclass
class Extras:
    attachments: list[Attachment]
    duplicates: list[Case]
    draft: ReplyDraft | None


def extras(case: Case, draft_of: int | None) -> Extras:
    """Attachments, merged duplicates and the user's reply draft (when `draft_of` is a user
    id). Most cases have none of them: one query asks which exist, and only those load."""
    exists = db.session.execute(sa.select(
        sa.exists().where(Attachment.case_id == case.id),
        sa.exists().where(Case.merged_into_id == case.id),
        sa.exists().where(ReplyDraft.case_id == case.id, ReplyDraft.user_id == draft_of)
        if draft_of is not None else sa.false())).one()
    return Extras(attachments(case) if exists[0] else [], duplicates(case) if exists[1] else [],
                  draft(case, draft_of) if exists[2] else None)


def attachments(case: Case) -> list[Attachment]:
    return db.session.scalars(sa.select(Attachment).where(Attachment.case_id == case.id)
                              .order_by(Attachment.id)).all()


def attachment(case: Case, attachment_id: int) -> Attachment:
    att = db.session.scalar(sa.select(Attachment).where(Attachment.id == attachment_id,
                                                        Attachment.case_id == case.id))
    if att is None:
        raise NotFound("附件不存在。")
    return att


def draft(case: Case, user_id: int) -> ReplyDraft | None:
    return db.session.scalar(sa.select(ReplyDraft).where(ReplyDraft.case_id == case.id,
                                                         ReplyDraft.user_id == user_id))


def duplicates(case: Case) -> list[Case]:
    return db.session.scalars(sa.select(Case).where(Case.merged_into_id == case.id)
                              .order_by(Case.id)).all()
