"""The citizens' side: writing a letter, following it with a query code, rating the
answer, and the office publishing the answer with personal data removed."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from workflows.clock import local_date
from workflows.errors import Conflict, Forbidden, Invalid, NotFound
from workflows.fields import Field, clean_fields
from workflows.vocabulary import ADMIN, LETTER_CATEGORIES, REVIEWER

from .. import calendar, clock
from ..extensions import db
from ..models import Case
from ..redaction import normal
from . import attachments, audit, intake, redaction_policy
from .tx import transaction

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
RATINGS = {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}
PUBLIC_FIELDS = (
    Field("citizen_name", "姓名", max_length=32),
    Field("citizen_phone", "联系电话", max_length=20),
    Field("subject", "标题", max_length=100),
    Field("body", "内容", "textarea", max_length=5000),
    Field("category", "诉求类别", "choice", required=False,
          choices=tuple((k, v) for k, v in LETTER_CATEGORIES.items() if k != "urgent")),
)
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


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
    if not _PHONE.match(fields["citizen_phone"].replace(" ", "")):
        raise Invalid({"citizen_phone": "请填写正确的手机号或带区号的固定电话。"})
    uploads = attachments.check(uploads, field="attachment")
    if len(uploads) > 1:
        raise Invalid({"attachment": "最多上传 1 个附件。"})
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    now = clock.now()
    with transaction():
        case = intake.new_case(Citizen(), "letter", fields, now, event_data={"consent_publish": consent},
                               category=fields["category"] or "consultation", channel="web",
                               citizen_name=fields["citizen_name"],
                               citizen_phone=fields["citizen_phone"].replace(" ", ""),
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
    closed = case.state == "closed" and case.close_reason == "accepted"
    subject, _ = redaction_policy.mask(case, case.public_subject or case.subject)
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
        if case.state != "closed" or case.close_reason != "accepted":
            raise Conflict("来信办结后才能评价。")
        if case.rating is not None:
            raise Conflict("您已经评价过了，每封来信只能评价一次。")
        case.rating, case.rating_comment, case.rated_at = rating, comment.strip() or None, now
        audit.record(case, Citizen(), "rate", now, comment=case.rating_comment, data={"rating": rating})
    return case


def preview(case: Case, originals: bool = False) -> dict[str, Any]:
    """The texts as they would be published, and exactly what was masked in each, for the
    reviewer. What a reviewer restored when publishing before stays restored.
    `originals`: from the letter and the accepted reply, ignoring an earlier publication."""
    from ..models import Reply

    reply = db.session.scalar(sa.select(Reply).where(Reply.case_id == case.id, Reply.status == "accepted")
                              .order_by(Reply.attempt.desc()).limit(1))
    allowed = redaction_policy.allowed_names()
    earlier = case.public_body is not None and not originals
    keep = redaction_policy.restored(case) if earlier else []
    sources = {"subject": case.public_subject if earlier else case.subject,
               "body": case.public_body if earlier else case.body,
               "reply": case.public_reply if earlier else (reply.body if reply else "")}
    names = redaction_policy.people(case, sources.values(), allowed)
    texts, found = {}, []
    for key, text in sources.items():
        texts[key], hits = redaction_policy.mask(case, text or "", keep, allowed, names)
        found += [(key, f) for f in hits]
    by_kind: dict[str, list] = {}
    for where, f in found:
        by_kind.setdefault(f.label, []).append((PREVIEW_PARTS[where], f))
    return texts | {"found": [f for _, f in found], "by_kind": by_kind,
                    "reply_at": reply.submitted_at if reply else None}


PREVIEW_PARTS = {"subject": "标题", "body": "来信", "reply": "答复"}
# No reason makes these public: a reviewer who types them back still gets them masked.
NEVER_RESTORED = {"id_card", "bank_card", "name"}


def publish_answer(actor, number: str, subject: str, body: str, reply: str) -> Case:
    """Publish an accepted answer, with the texts the reviewer checked. They are masked
    again here, so nothing new slips through an edit; what the preview masked and the
    reviewer deliberately restored stays as the reviewer left it."""
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
        if case.state != "closed" or case.close_reason != "accepted":
            raise Conflict("只有审核通过并办结的来信可以公开。")
        # What the reviewer was shown masked, now or in the letter as written (the case
        # page shows it in full): typed back in, it was restored on purpose.
        masked_before = {normal(f.original) for view in (preview(case), preview(case, originals=True))
                         for f in view["found"] if f.kind not in NEVER_RESTORED}
        masked_before.discard(normal(case.citizen_phone or ""))
        texts, kept = redaction_policy.mask_submitted(
            case, {"subject": subject.strip(), "body": body.strip(), "reply": reply.strip()}, masked_before)
        case.public_subject = texts["subject"][:200]
        case.public_body, case.public_reply = texts["body"], texts["reply"]
        case.published_at = now
        audit.record(case, actor, "publish_answer", now, data={"restored": kept})
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
