"""Knowledge base entries: draft → in review → published → expired or withdrawn, every
change kept as a version. Units and the office write entries; only the office (审核员,
管理员) publishes them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from workflows.clock import local_date
from workflows.errors import Conflict, Forbidden, Invalid, NotFound
from workflows.fields import Field, clean_fields
from workflows.vocabulary import ADMIN, OFFICE_ROLES, REVIEWER, SYSTEM, UNIT_ROLES

from .. import clock
from ..extensions import db
from ..models import Case, CasePublication, KnowledgeEntry, KnowledgeVersion
from ..redaction import redact
from . import lookup
from .tx import transaction

CATEGORIES = ("户籍证件", "社会保障", "医疗医保", "教育", "住房", "城市管理", "交通出行", "劳动就业",
              "市场监管", "民政服务", "生态环境", "公共事业", "政务服务", "其他")
FIELDS = (
    Field("question", "问题", max_length=300),
    Field("answer", "答复口径", "textarea", max_length=10000),
    Field("category", "类别", "choice", required=False, choices=tuple((c, c) for c in CATEGORIES)),
    Field("unit_code", "责任单位", "unit", required=False),
    Field("basis_title", "政策依据（文件名称）", required=False, max_length=300),
    Field("basis_number", "文号", required=False, max_length=100),
    Field("basis_url", "文件链接", required=False, max_length=500),
    Field("valid_from", "有效期起", "date", required=False),
    Field("valid_until", "有效期至", "date", required=False),
)
ACTIONS = {"create": "创建", "edit": "修改", "submit": "提交审核", "publish": "审核发布", "send_back": "退回修改",
           "withdraw": "撤回", "expire": "到期失效", "reopen": "重新编辑"}
REVIEWERS = (ADMIN, REVIEWER, SYSTEM)


# Who may do what (named predicates, for services, views and templates alike).
def can_write(actor) -> bool:
    return actor.role in OFFICE_ROLES or actor.role in UNIT_ROLES or actor.role == SYSTEM


def can_review(actor) -> bool:
    return actor.role in REVIEWERS


def can_view(actor, entry: KnowledgeEntry) -> bool:
    if entry.state == "published" or actor.role in OFFICE_ROLES or actor.role == SYSTEM:
        return True
    return actor.role in UNIT_ROLES and actor.unit_id in (entry.owner_unit_id, entry.unit_id)


def can_edit(actor, entry: KnowledgeEntry) -> bool:
    if can_review(actor):
        return True
    owner = (actor.role in UNIT_ROLES and entry.owner_unit_id == actor.unit_id) or \
        (actor.role in OFFICE_ROLES and entry.owner_unit_id is None)
    return owner and entry.state in ("draft", "in_review")


def get(actor, entry_id: int) -> KnowledgeEntry:
    entry = db.session.get(KnowledgeEntry, entry_id)
    if entry is None or not can_view(actor, entry):
        raise NotFound("知识库条目不存在或您无权查看。")
    return entry


def clean(raw: Mapping[str, Any]) -> dict[str, Any]:
    fields = clean_fields(FIELDS, raw)
    url = fields["basis_url"]
    if url and not url.startswith(("http://", "https://")):
        raise Invalid({"basis_url": "文件链接应以 http:// 或 https:// 开头。"})
    if fields["valid_from"] and fields["valid_until"] and fields["valid_until"] < fields["valid_from"]:
        raise Invalid({"valid_until": "有效期至不能早于有效期起。"})
    code = fields.pop("unit_code")
    fields["unit_id"] = lookup.active_unit(code).id if code else None
    return fields


def record_version(entry: KnowledgeEntry, actor, action: str, now: datetime, comment: str | None = None) -> None:
    version = 1 if entry.id is None else entry.version + 1
    db.session.add(KnowledgeVersion(
        entry=entry, version=version, action=action, state=entry.state, question=entry.question,
        answer=entry.answer, category=entry.category, unit_id=entry.unit_id,
        basis_title=entry.basis_title, basis_number=entry.basis_number, basis_url=entry.basis_url,
        valid_from=entry.valid_from, valid_until=entry.valid_until, comment=comment,
        actor_id=getattr(actor, "id", None), at=now))


def require_write(actor) -> None:
    if not can_write(actor):
        raise Forbidden("您无权编写知识库条目。")


def create(actor, raw: Mapping[str, Any], publish: bool = False, source_case_id: int | None = None) -> KnowledgeEntry:
    """A new entry: a draft, or with `publish` published (the office) or in review (a unit)."""
    require_write(actor)
    fields = clean(raw)
    if actor.role in UNIT_ROLES and fields["unit_id"] is None:
        fields["unit_id"] = actor.unit_id
    now = clock.now()
    state = ("published" if can_review(actor) else "in_review") if publish else "draft"
    with transaction():
        entry = KnowledgeEntry(**fields, state=state, created_by_id=getattr(actor, "id", None),
                               owner_unit_id=actor.unit_id if actor.role in UNIT_ROLES else None,
                               created_at=now, updated_at=now, source_case_id=source_case_id,
                               published_at=now if state == "published" else None)
        db.session.add(entry)
        record_version(entry, actor, "create", now)
    return entry


def _load(actor, entry_id: int, expected_version: int | None) -> KnowledgeEntry:
    entry = get(actor, entry_id)
    if expected_version is not None and expected_version != entry.version:
        raise Conflict("该条目刚刚被他人修改，请刷新页面后重试。")
    return entry


def update(actor, entry_id: int, raw: Mapping[str, Any], expected_version: int | None = None) -> KnowledgeEntry:
    now = clock.now()
    with transaction():
        entry = _load(actor, entry_id, expected_version)
        if not can_edit(actor, entry):
            raise Forbidden("该条目已提交发布，只有电子政务办公室可以修改。")
        for key, value in clean(raw).items():
            setattr(entry, key, value)
        entry.updated_at = now
        record_version(entry, actor, "edit", now)
    return entry


# event -> (states it starts from, state it leads to, who: "review" or "edit")
TRANSITIONS = {
    "submit": (("draft",), "in_review", "edit"),
    "publish": (("draft", "in_review"), "published", "review"),
    "send_back": (("in_review",), "draft", "review"),
    "withdraw": (("published",), "withdrawn", "review"),
    "reopen": (("expired", "withdrawn"), "draft", "review"),
}


def allowed(actor, entry: KnowledgeEntry) -> list[str]:
    return [name for name, (sources, _to, who) in TRANSITIONS.items() if entry.state in sources
            and (can_review(actor) if who == "review" else can_edit(actor, entry))]


def transition(actor, entry_id: int, event: str, comment: str = "",
               expected_version: int | None = None) -> KnowledgeEntry:
    if event not in TRANSITIONS:
        raise NotFound("没有这个操作。")
    sources, target, _who = TRANSITIONS[event]
    comment = (comment or "").strip()
    if event in ("send_back", "withdraw") and not comment:
        raise Invalid({"comment": "请说明原因。"})
    if len(comment) > 2000:
        raise Invalid({"comment": "说明不能超过 2000 字。"})
    now = clock.now()
    with transaction():
        entry = _load(actor, entry_id, expected_version)
        if event not in allowed(actor, entry):
            if entry.state not in sources:
                raise Conflict(f"条目当前为“{entry.state_label}”，不能{ACTIONS[event]}。")
            raise Forbidden("只有电子政务办公室可以审核发布知识库条目。")
        if event == "publish" and entry.valid_until and entry.valid_until < local_date(now):
            raise Invalid({"valid_until": "有效期已过，请先修改有效期再发布。"})
        entry.state, entry.updated_at = target, now
        if event == "send_back":
            entry.review_comment = comment
        if event == "publish":
            entry.published_at, entry.review_comment = now, None
        record_version(entry, actor, event, now, comment or None)
    return entry


def from_answer(actor, number: str) -> KnowledgeEntry:
    """An entry made in one click from a published answer, with the texts as published
    and personal data masked again (redaction.py, as for publication)."""
    case = lookup.case_for(actor, number)
    publication = case.publication
    if publication is None or publication.published_at is None:
        raise Conflict("只有已公开的答复可以转为知识库条目。")
    existing = db.session.scalar(sa.select(KnowledgeEntry.id).where(KnowledgeEntry.source_case_id == case.id))
    if existing:
        raise Conflict(f"该答复已转为知识库条目（#{existing}）。")
    names, phones = (case.citizen_name or "",), (case.citizen_phone or "",)
    question = redact(publication.subject or case.subject, names, phones)[0][:300]
    answer = redact(publication.reply or "", names, phones)[0]
    return create(actor, {"question": question, "answer": answer,
                          "unit_code": case.unit.code if case.unit else None}, source_case_id=case.id)


def listing(actor, state: str | None = None, limit: int = 200) -> list[KnowledgeEntry]:
    stmt = sa.select(KnowledgeEntry).options(sa.orm.joinedload(KnowledgeEntry.unit))
    if state:
        stmt = stmt.where(KnowledgeEntry.state == state)
    if actor.role in UNIT_ROLES:
        stmt = stmt.where(sa.or_(KnowledgeEntry.state == "published",
                                 KnowledgeEntry.owner_unit_id == actor.unit_id,
                                 KnowledgeEntry.unit_id == actor.unit_id))
    return db.session.scalars(stmt.order_by(KnowledgeEntry.updated_at.desc(), KnowledgeEntry.id.desc())
                              .limit(limit)).all()


def source_case(entry: KnowledgeEntry) -> Case | None:
    return db.session.get(Case, entry.source_case_id) if entry.source_case_id else None


def copy_to_draft(actor, number: str, kind: str, ref_id: int) -> None:
    """Append a published entry's or answer's text to the actor's reply draft (the form
    without JavaScript; with it, the text goes straight into the textarea)."""
    from ..queries.case_page import draft as draft_of
    from . import drafts

    case = lookup.case_for(actor, number)
    material = None
    if kind == "entry":
        entry = db.session.get(KnowledgeEntry, ref_id)
        material = entry.answer if entry is not None and entry.state == "published" else None
    elif kind == "answer":
        source = db.session.get(CasePublication, ref_id)
        material = source.reply if source is not None and source.published_at else None
    if not material:
        raise NotFound("该答复口径不存在或未公开。")
    current = draft_of(case, actor.id)
    body = f"{current.body.rstrip()}\n\n{material}" if current and current.body.strip() else material
    drafts.save(actor, number, body, current.note if current else "")
