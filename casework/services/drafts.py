"""Reply drafts: what a handler typed survives a reload until the reply is sent."""

from __future__ import annotations

import sqlalchemy as sa

from workflows import case_flow
from workflows.errors import Invalid

from .. import clock
from ..extensions import db
from ..models import ReplyDraft
from . import lookup
from .tx import transaction

MAX_DRAFT = 10000


def save(actor, number: str, body: str, note: str) -> ReplyDraft:
    case = lookup.case_for(actor, number)
    # Only someone who could send the reply keeps a draft of it.
    now = clock.now()
    if not any(s.reply and case_flow.denial(s, actor, case, now) is None for s in case_flow.SPECS):
        raise Invalid({"body": "当前不能答复该案件，草稿未保存。"})
    if len(body) > MAX_DRAFT or len(note) > MAX_DRAFT:
        raise Invalid({"body": f"草稿不能超过 {MAX_DRAFT} 字。"})
    with transaction():
        draft = db.session.scalar(sa.select(ReplyDraft).where(ReplyDraft.case_id == case.id,
                                                              ReplyDraft.user_id == actor.id))
        if draft is None:
            draft = ReplyDraft(case_id=case.id, user_id=actor.id)
            db.session.add(draft)
        draft.body, draft.note = body, note
        draft.updated_at = clock.now()
    return draft


def discard(case_id: int, user_id: int) -> None:
    """Inside the reply's transaction."""
    db.session.execute(sa.delete(ReplyDraft).where(ReplyDraft.case_id == case_id,
                                                   ReplyDraft.user_id == user_id))
