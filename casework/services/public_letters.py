"""The citizens' side: writing a letter, following it with a query code, rating the
answer, and the office publishing the answer with personal data removed."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from workflows.case_flow import answered
from workflows.clock import local_date
from workflows.errors import Conflict, Forbidden, Invalid, NotFound
from workflows.fields import Field, clean_fields
from workflows.vocabulary import ADMIN, LETTER_CATEGORIES, REVIEWER

from .. import calendar, clock
from ..extensions import db
from ..models import Case
from ..redaction import redact
from . import attachments, audit, intake
from .tx import transaction

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
RATINGS = {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}
PUBLIC_FIELDS = (
    Field("citizen_name", "姓名", max_length=32),
    Field("citizen_phone", "联系电话", "phone"),
    Field("subject", "标题", max_length=100),
    Field("body", "内容", "textarea", max_length=5000),
    Field("category", "诉求类别", "choice", required=False,
          choices=tuple((k, v) for k, v in LETTER_CATEGORIES.items() if k != "urgent")),
)


class Citizen:
    """The actor of the public form: nobody logged in."""

    id = None
    role = "citizen"
    unit_id = None
    display_name = "来信人"


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def submit(raw: Mapping[str, Any], consent: bool, uploads: list[attachments.Upload]) -> tuple[Case, str]:
    """A letter from the public form; returns the case and its query code (shown once)."""
    fields = clean_fields(PUBLIC_FIELDS, raw)
    uploads = attachments.check(uploads, field="attachment")
    if len(uploads) > 1:
        raise Invalid({"attachment": "最多上传 1 个附件。"})
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    now = clock.now()
    with transaction():
        case = intake.new_case(Citizen(), "letter", fields, now, event_data={"consent_publish": consent},
                               category=fields["category"] or "consultation", channel="web",
                               citizen_name=fields["citizen_name"],
                               citizen_phone=fields["citizen_phone"],
                               consent_publish=consent, query_code_hash=_digest(code))
        db.session.flush()
        attachments.attach(case, uploads, None)
    return case, code


def by_code(code: str) -> Case:
    case = db.session.scalar(sa.select(Case).where(Case.query_code_hash == _digest(code or "")))
    if case is None:
        raise NotFound("查询码不正确，请核对后重新输入。")
    return case


@dataclass(frozen=True)
class Progress:
    """What the query page may show: no personal data."""

    number: str
    subject: str
    state_label: str
    unit: str | None
    received_at: datetime
    replied_at: datetime | None
    closed_at: datetime | None
    can_rate: bool
    rating: str | None
    published: bool


def progress(code: str) -> Progress:
    case = by_code(code)
    closed = answered(case)
    subject, _ = redact(case.subject, (case.citizen_name or "",), (case.citizen_phone or "",))
    return Progress(case.number, subject, case.state_label, case.unit.name if case.unit else None,
                    case.received_at, case.replied_at, case.closed_at, closed and case.rating is None,
                    RATINGS.get(case.rating or ""), case.published_at is not None)


def rate(code: str, rating: str, comment: str = "") -> Case:
    """The citizen rates a closed letter once; 不满意 puts it on the office's review list."""
    if rating not in RATINGS:
        raise Invalid({"rating": "请选择满意、基本满意或不满意。"})
    if len(comment) > 500:
        raise Invalid({"comment": "评价意见不能超过 500 字。"})
    now = clock.now()
    with transaction():
        case = by_code(code)
        if not answered(case):
            raise Conflict("来信办结后才能评价。")
        if case.rating is not None:
            raise Conflict("您已经评价过了，每封来信只能评价一次。")
        case.rating, case.rating_comment, case.rated_at = rating, comment.strip() or None, now
        audit.record(case, Citizen(), "rate", now, comment=case.rating_comment, data={"rating": rating})
    return case


def preview(case: Case) -> dict[str, Any]:
    """The texts as they would be published, and what was masked, for the reviewer."""
    from ..models import Reply

    reply = db.session.scalar(sa.select(Reply).where(Reply.case_id == case.id, Reply.status == "accepted")
                              .order_by(Reply.attempt.desc()).limit(1))
    names, phones = (case.citizen_name or "",), (case.citizen_phone or "",)
    texts, found = {}, []
    for key, text in (("subject", case.public_subject or case.subject), ("body", case.public_body or case.body),
                      ("reply", case.public_reply or (reply.body if reply else ""))):
        texts[key], hits = redact(text, names, phones)
        found += hits
    return texts | {"found": found, "reply_at": reply.submitted_at if reply else None}


def publish_answer(actor, number: str, subject: str, body: str, reply: str) -> Case:
    """Publish an accepted answer, with the texts the reviewer checked. They are redacted
    again here, so nothing the preview would mask can slip through an edit."""
    if actor.role not in (ADMIN, REVIEWER):
        raise Forbidden("只有审核员可以公开答复。")
    errors = {k: "请填写公开的内容。" for k, v in (("subject", subject), ("body", body), ("reply", reply))
              if not (v or "").strip()}
    if errors:
        raise Invalid(errors)
    now = clock.now()
    with transaction():
        case = db.session.scalar(sa.select(Case).where(Case.number == number))
        if case is None:
            raise NotFound("案件不存在。")
        if not case.consent_publish:
            raise Conflict("来信人未同意公开，不能公开该来信。")
        if not answered(case):
            raise Conflict("只有审核通过并办结的来信可以公开。")
        names, phones = (case.citizen_name or "",), (case.citizen_phone or "",)
        case.public_subject = redact(subject.strip(), names, phones)[0][:200]
        case.public_body = redact(body.strip(), names, phones)[0]
        case.public_reply = redact(reply.strip(), names, phones)[0]
        case.published_at = now
        audit.record(case, actor, "publish_answer", now)
    return case


def unpublish(actor, number: str) -> Case:
    if actor.role not in (ADMIN, REVIEWER):
        raise Forbidden("只有审核员可以撤回公开。")
    now = clock.now()
    with transaction():
        case = db.session.scalar(sa.select(Case).where(Case.number == number, Case.published_at.is_not(None)))
        if case is None:
            raise NotFound("该来信未公开。")
        case.published_at = None
        audit.record(case, actor, "unpublish_answer", now)
    return case


def published(page: int = 1, per_page: int = 20) -> tuple[list[Case], int]:
    stmt = sa.select(Case).where(Case.published_at.is_not(None))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(stmt.order_by(Case.published_at.desc(), Case.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def published_one(number: str) -> Case:
    case = db.session.scalar(sa.select(Case).where(Case.number == number, Case.published_at.is_not(None)))
    if case is None:
        raise NotFound("该来信不存在或未公开。")
    return case


def handling_days(case: Case) -> int | None:
    return case.handling_days if case.handling_days is not None else (
        calendar.working_days_between(local_date(case.received_at), local_date(case.replied_at))
        if case.replied_at else None)


def possible_duplicates(cases: list[Case], days: int = 30, shown: int = 20) -> dict[int, list[Case]]:
    """For each case, letters from the same phone with a similar subject in the 30 days
    before it: a hint for the dispatcher, who decides whether to merge. One query for a
    whole page of the queue."""
    from difflib import SequenceMatcher

    with_phone = [c for c in cases if c.citizen_phone]
    if not with_phone:
        return {}
    candidates = db.session.scalars(sa.select(Case).where(
        Case.citizen_phone.in_({c.citizen_phone for c in with_phone}), Case.type == "letter",
        Case.received_at >= min(c.received_at for c in with_phone) - timedelta(days=days),
        Case.received_at <= max(c.received_at for c in with_phone)).order_by(Case.received_at.desc())).all()
    found = {}
    for case in with_phone:
        near = [c for c in candidates if c.citizen_phone == case.citizen_phone and c.id != case.id
                and case.received_at - timedelta(days=days) <= c.received_at <= case.received_at][:shown]
        found[case.id] = [c for c in near if SequenceMatcher(None, c.subject, case.subject).ratio() >= 0.5]
    return found
