"""Keeping 答复模板: create, change and delete, each checked against who keeps it (a unit's
leader its unit's, the office the ones for every unit) and committed on its own."""

from __future__ import annotations

import re

from workflows.clock import utcnow
from workflows.errors import Forbidden, Invalid, NotFound
from workflows.vocabulary import UNIT_ROLES

from ..extensions import db
from ..models import ReplyTemplate
from ..permissions import can_manage_reply_templates
from ..queries.reply_templates import PLACEHOLDERS
from .tx import transaction

_PLACEHOLDER = re.compile(r"\{([^{}]{1,20})\}")
MAX_BODY = 3000


def _clean(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = "请填写模板名称。"
    elif len(title) > 60:
        errors["title"] = "模板名称不超过 60 字。"
    if not body:
        errors["body"] = "请填写模板内容。"
    elif len(body) > MAX_BODY:
        errors["body"] = f"模板内容不超过 {MAX_BODY} 字。"
    unknown = sorted({p for p in _PLACEHOLDER.findall(body) if p not in PLACEHOLDERS})
    if unknown and "body" not in errors:
        errors["body"] = ("不认识的占位符：" + "、".join("{" + p + "}" for p in unknown) +
                          "。可用的有：" + "、".join("{" + p + "}" for p in PLACEHOLDERS) + "。")
    if errors:
        raise Invalid(errors)
    return title, body


def _scope(actor, office_wide: bool) -> int | None:
    return None if office_wide else actor.unit_id


def create(actor, title: str, body: str, office_wide: bool = False) -> ReplyTemplate:
    unit_id = _scope(actor, office_wide)
    if not can_manage_reply_templates(actor, unit_id):
        raise Forbidden("您无权维护该范围的答复模板。")
    title, body = _clean(title, body)
    with transaction():
        template = ReplyTemplate(unit_id=unit_id, title=title, body=body, created_by_id=actor.id)
        db.session.add(template)
    return template


def _editable(actor, template_id: int) -> ReplyTemplate:
    template = db.session.get(ReplyTemplate, template_id)
    if template is None:
        raise NotFound("答复模板不存在。")
    if actor.role in UNIT_ROLES and template.unit_id not in (None, actor.unit_id):
        raise NotFound("答复模板不存在。")  # another unit's: not even its existence
    if not can_manage_reply_templates(actor, template.unit_id):
        raise Forbidden("您无权修改该答复模板。")
    return template


def update(actor, template_id: int, title: str, body: str) -> ReplyTemplate:
    template = _editable(actor, template_id)
    title, body = _clean(title, body)
    with transaction():
        template.title, template.body, template.updated_at = title, body, utcnow()
    return template


def delete(actor, template_id: int) -> str:
    template = _editable(actor, template_id)
    title = template.title
    with transaction():
        db.session.delete(template)
    return title
