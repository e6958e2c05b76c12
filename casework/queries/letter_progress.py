"""What the writer of a letter reads about it: found by its query code, or by its number
and the phone it was sent from, and shown in the writer's words (workflows/citizen.py).

The writer reads the accepted answer itself, published or not, masked as a publication
would be (the writer's own name and phone included): a progress page can be left open on
a shared computer, and its link can be passed on.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from workflows import citizen
from workflows.deadlines import FIRST, select_rule
from workflows.errors import Invalid, NotFound
from workflows.vocabulary import CLOCK_RUNNING, SUSPENDED_CLOCK

from ..extensions import db
from ..models import Case, CaseEvent, Reply
from . import masking
from .deadline_rules import active_rules

_NUMBER = re.compile(r"([A-Z]{2})-?(\d{4})-?(\d{6})")


def _typed(text: str | None) -> str:
    """What a person typed, as the machine wrote it: full-width characters from a Chinese
    input method made plain, spaces and dashes between groups dropped, upper case."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text or "")).upper()


def _digits(phone: str | None) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", phone or ""))


def digest(code: str) -> str:
    """A query code as stored: its SHA-256 (the code itself is shown once, never kept)."""
    return hashlib.sha256(_typed(code).encode()).hexdigest()


def by_code(code: str) -> Case:
    if not _typed(code):
        raise Invalid({"code": "请输入查询码。"}, "请输入查询码。")
    case = db.session.scalar(sa.select(Case).where(Case.query_code_hash == digest(code)))
    if case is None:
        raise NotFound("查询码不正确，请核对后重新输入。")
    return case


def by_number_and_phone(number: str, phone: str) -> Case:
    """For a writer who lost the code. One answer for a wrong number and a wrong phone, so
    the form tells nobody which letters exist."""
    typed = _NUMBER.fullmatch(_typed(number))
    case = db.session.scalar(sa.select(Case).where(Case.number == "-".join(typed.groups()), Case.type == "letter")
                             ) if typed else None
    given = _digits(phone)
    if case is None or len(given) < 7 or not hmac.compare_digest(_digits(case.citizen_phone), given):
        raise NotFound("来信编号与联系电话不匹配，请核对后重新输入。")
    return case


@dataclass(frozen=True)
class Step:
    at: datetime
    text: str


@dataclass
class Progress:
    number: str
    subject: str
    category: str | None
    state: str
    state_note: str | None
    unit: str | None
    received_at: datetime
    # While the unit works on it: the due date, or (before dispatch) the limit in words.
    due_date: date | None
    expected: str | None
    overdue: bool
    steps: list[Step]
    reply: str | None = None
    replied_at: datetime | None = None
    handling: str | None = None
    can_rate: bool = False
    rating: str | None = None
    rating_reasons: list[str] = field(default_factory=list)
    rating_comment: str | None = None
    published: bool = False


def reply_limit_days(category: str | None, channel: str = "web") -> int | None:
    """Working days a unit has for its first answer to such a letter, from the rules in
    force (None when none applies: the page then says 按规定时限)."""
    try:
        return select_rule(active_rules(), "letter", FIRST, category, channel).days
    except LookupError:
        return None


def reply_limits(categories) -> dict[str, int | None]:
    return {key: reply_limit_days(key) for key in categories}


def progress(case: Case) -> Progress:
    events = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id)
                                .order_by(CaseEvent.id)).all()
    steps = [Step(e.at, text) for e in events if (text := citizen.step(e.event, e.data or {}))]
    answered = citizen.reply_accepted(case)
    running = case.state in CLOCK_RUNNING | SUSPENDED_CLOCK
    note = None
    if case.close_reason == "dismissed":
        dismissal = next((e for e in reversed(events) if e.event == "dismiss"), None)
        note = citizen.step("dismiss", dismissal.data if dismissal else {})
    elif case.close_reason == "merged" and case.merged_into is not None:
        note = f"与同一诉求的来信 {case.merged_into.number} 合并办理，请以该来信的答复为准。"
    reply = db.session.scalar(sa.select(Reply).where(Reply.case_id == case.id, Reply.status == "accepted")
                              .order_by(Reply.attempt.desc()).limit(1)) if answered else None
    rating, publication = case.rating, case.publication
    shown = masking.mask_all(case, {"subject": case.subject, "comment": rating.comment if rating else None,
                                             "reply": reply.body if reply else None}, (case.body,))
    result = Progress(
        number=case.number, subject=shown["subject"], category=case.category_label,
        state=citizen.state(case), state_note=note, unit=case.unit.name if case.unit else None,
        received_at=case.received_at, due_date=case.due_date if running else None,
        expected=(citizen.after_dispatch(reply_limit_days(case.category, case.channel)) + "答复"
                  if case.state == "opened" else None),
        overdue=running and case.overdue, steps=steps,
        rating=citizen.RATINGS.get(rating.grade) if rating else None,
        rating_reasons=[citizen.UNSATISFIED_REASONS[r] for r in (rating.reasons if rating else None) or ()
                        if r in citizen.UNSATISFIED_REASONS],
        rating_comment=shown["comment"], published=publication is not None and publication.published_at is not None)
    if answered:
        result.reply = shown["reply"]
        result.replied_at = reply.submitted_at if reply else case.replied_at
        result.handling = citizen.handling_text(case.handling_days)
        result.can_rate = case.state == "closed" and rating is None
    return result
