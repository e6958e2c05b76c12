"""Everything the case page shows, loaded in a handful of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflows import case_flow, citizen
from workflows.vocabulary import DISMISS_REASONS, RETURN_REASONS, STATES

from ..extensions import db
from ..models import Attachment, Case, CaseEvent, Reply, ReplyDraft, Review, User

EVENT_LABELS = {spec.name: spec.label for spec in case_flow.SPECS} | {
    "create": "登记",
    "merged_in": "并入重复件",
    "deadline_recomputed": "重算办理期限",
    "escalate": "列入督办",
    "rate": "来信人评价",
    "publish_answer": "公开答复",
    "unpublish_answer": "撤回公开",
}


@dataclass
class TimelineEntry:
    event: CaseEvent
    label: str
    details: list[str]


def _details(ev: CaseEvent) -> list[str]:
    d: dict[str, Any] = ev.data or {}
    out = []
    if "unit_name" in d:
        out.append(f"承办单位：{d['unit_name']}")
    if d.get("reason") in RETURN_REASONS and ev.event == "return_reply":
        out.append(f"退回原因：{RETURN_REASONS[d['reason']]}")
    if d.get("reason") in DISMISS_REASONS and ev.event == "dismiss":
        out.append(f"不予受理原因：{DISMISS_REASONS[d['reason']]}")
    if ev.event == "rate" and d.get("rating") in citizen.RATINGS:
        reasons = [citizen.UNSATISFIED_REASONS.get(r, r) for r in d.get("reasons") or ()]
        out.append(citizen.RATINGS[d["rating"]] + (f"：{'、'.join(reasons)}" if reasons else ""))
    if "days" in d:
        out.append(f"申请延长 {d['days']} 个工作日")
    if "approved" in d:
        out.append("批准" if d["approved"] else "不批准")
    if d.get("primary"):
        out.append(f"并入 {d['primary']}")
    if d.get("duplicate"):
        out.append(f"重复件 {d['duplicate']}")
    if "paused_working_days" in d:
        out.append(f"中止 {d['paused_working_days']} 个工作日，期限顺延")
    if "new_due_date" in d:
        out.append(f"期限 {d['old_due_date']} → {d['new_due_date']}")
    if ev.from_state and ev.to_state and ev.from_state != ev.to_state:
        out.append(f"{STATES[ev.from_state]} → {STATES[ev.to_state]}")
    return out


def _name_of(relation):
    """People appear by name only (display name on the page, username in the API): load
    no more of their row."""
    return joinedload(relation).load_only(User.display_name, User.username)


def timeline_events(case: Case) -> list[CaseEvent]:
    return db.session.scalars(sa.select(CaseEvent).options(_name_of(CaseEvent.actor))
                              .where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).all()


def timeline(case: Case) -> list[TimelineEntry]:
    return [TimelineEntry(e, EVENT_LABELS.get(e.event, e.event), _details(e)) for e in timeline_events(case)]


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


def draft(case: Case, user_id: int) -> ReplyDraft | None:
    return db.session.scalar(sa.select(ReplyDraft).where(ReplyDraft.case_id == case.id,
                                                         ReplyDraft.user_id == user_id))


def duplicates(case: Case) -> list[Case]:
    return db.session.scalars(sa.select(Case).where(Case.merged_into_id == case.id)
                              .order_by(Case.id)).all()
