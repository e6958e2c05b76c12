"""The citizens' side: writing a letter, rating the answer, and the office publishing
the answer with personal data removed. What the writer reads is in
queries/letter_progress.py; the public list in queries/public_letters.py."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from workflows import citizen
from workflows.case_flow import answered
from workflows.errors import Conflict, Forbidden, Invalid, NotFound
from workflows.fields import Field, clean_fields
from workflows.vocabulary import ADMIN, LETTER_CATEGORIES, REVIEWER

from .. import clock
from ..extensions import db
from ..models import Case
from ..queries import masking
from ..queries.letter_progress import digest
from ..redaction import normal
from ..text_search import index_tokens
from . import attachments, audit, intake, redaction_policy
from .tx import transaction

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
PUBLIC_FIELDS = (
    Field("citizen_name", "姓名", max_length=32),
    Field("citizen_phone", "联系电话", "phone"),
    Field("subject", "标题", max_length=100),
    Field("body", "内容", "textarea", max_length=5000),
    # Chosen by the writer, never defaulted: it sets the time limit of the answer.
    Field("category", "诉求类别", "choice",
          choices=tuple((k, v) for k, v in LETTER_CATEGORIES.items() if k != "urgent")),
)


class Citizen:
    """The actor of the public form: nobody logged in."""

    id = None
    role = "citizen"
    unit_id = None
    display_name = "来信人"


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
                               category=fields["category"], channel="web",
                               citizen_name=fields["citizen_name"],
                               citizen_phone=fields["citizen_phone"],
                               consent_publish=consent, query_code_hash=digest(code))
        db.session.flush()
        attachments.attach(case, uploads, None)
    return case, code


def rate(number: str, rating: str, reasons: Sequence[str] = (), comment: str = "") -> Case:
    """The writer rates an answered, closed letter once. 不满意 says why (at least one
    reason; 其他 needs words) and puts the letter on the office's 督办 page. The only place
    a rating is written: the caller has already checked that this browser may follow the
    letter (its query code, or its number and phone)."""
    if rating not in citizen.RATINGS:
        raise Invalid({"rating": "请选择满意、基本满意或不满意。"})
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise Invalid({"comment": "评价意见不能超过 500 字。"})
    reasons = list(dict.fromkeys(reasons)) if rating == "unsatisfied" else []
    if any(r not in citizen.UNSATISFIED_REASONS for r in reasons):
        raise Invalid({"reasons": "不满意的原因取值无效。"})
    if rating == "unsatisfied" and not reasons:
        raise Invalid({"reasons": "请至少选择一项不满意的原因。"})
    if "other" in reasons and not comment:
        raise Invalid({"comment": "选择“其他原因”时，请写下具体原因。"})
    now = clock.now()
    with transaction():
        case = db.session.scalar(sa.select(Case).where(Case.number == number, Case.type == "letter"))
        if case is None:
            raise NotFound("来信不存在。")
        if not answered(case):
            raise Conflict("来信办结后才能评价。")
        if case.rating is not None:
            raise Conflict("您已经评价过了，每封来信只能评价一次。")
        case.rating, case.rating_reasons = rating, reasons or None
        case.rating_comment, case.rated_at = comment or None, now
        audit.record(case, Citizen(), "rate", now, comment=case.rating_comment,
                     data={"rating": rating, "reasons": reasons})
    return case


def preview(case: Case, originals: bool = False) -> dict[str, Any]:
    """The texts as they would be published, and exactly what was masked in each, for the
    reviewer. What a reviewer restored when publishing before stays restored.
    `originals`: from the letter and the accepted reply, ignoring an earlier publication."""
    from ..models import Reply

    reply = db.session.scalar(sa.select(Reply).where(Reply.case_id == case.id, Reply.status == "accepted")
                              .order_by(Reply.attempt.desc()).limit(1))
    allowed = masking.allowed_names()
    earlier = case.public_body is not None and not originals
    keep = masking.restored(case) if earlier else []
    sources = {"subject": case.public_subject if earlier else case.subject,
               "body": case.public_body if earlier else case.body,
               "reply": case.public_reply if earlier else (reply.body if reply else "")}
    names = masking.people(case, sources.values(), allowed)
    texts, found = {}, []
    for key, text in sources.items():
        texts[key], hits = masking.mask(case, text or "", keep, allowed, names)
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
        if not answered(case):
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
        case.public_search = index_tokens(case.public_subject, case.public_body, case.public_reply)
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


