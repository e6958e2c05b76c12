"""答复模板: the list a unit's users and the office see, kept in the browser by whoever keeps
each scope (a unit's leader the unit's own, the office's admin and reviewers the ones for
every unit)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflows.errors import DomainError, Invalid
from workflows.vocabulary import ADMIN, REVIEWER, UNIT_ROLES

from ..http_errors import status_of
from ..permissions import can_manage_reply_templates
from ..queries.reply_templates import PLACEHOLDERS, managed_by
from ..services import quality, reply_templates
from .access import roles_required

bp = Blueprint("reply_templates", __name__, url_prefix="/reply-templates")
READERS = (ADMIN, REVIEWER, *UNIT_ROLES)


def _scopes() -> dict[str, str]:
    """The scopes this user may add to: value -> label."""
    out = {}
    if current_user.role in UNIT_ROLES and can_manage_reply_templates(current_user, current_user.unit_id):
        out["unit"] = f"本单位（{current_user.unit.name}）"
    if can_manage_reply_templates(current_user, None):
        out["office"] = "全市通用（所有单位可用）"
    return out


def _hint(body: str) -> str | None:
    """The quality hint a reply made only of this template would get (推诿敷衍)."""
    found = [f["reason"] for f in quality.flags("", body, phrases=[]) if f["kind"] == "buck_passing"]
    return found[0] if found else None


def _page(values=None, errors=None, error=None, status=200, editing=None):
    templates = managed_by(current_user)
    return render_template("reply_templates/index.html", templates=templates, scopes=_scopes(),
                           placeholders=PLACEHOLDERS, values=values or {}, errors=errors or {}, error=error,
                           editing=editing, hints={t.id: _hint(t.body) for t in templates},
                           can_edit={t.id: can_manage_reply_templates(current_user, t.unit_id) for t in templates}), status


@bp.get("")
@roles_required(*READERS)
def index():
    editing = request.args.get("edit", type=int)
    values = {}
    if editing:
        found = [t for t in managed_by(current_user) if t.id == editing]
        if found and can_manage_reply_templates(current_user, found[0].unit_id):
            values = {"title": found[0].title, "body": found[0].body}
        else:
            editing = None
    return _page(values, editing=editing)


@bp.post("")
@roles_required(*READERS)
def create():
    scope = request.form.get("scope", "unit")
    if scope not in _scopes():
        return _page(request.form, {}, "您无权添加该范围的答复模板。", 403)
    try:
        template = reply_templates.create(current_user, request.form.get("title", ""), request.form.get("body", ""),
                                          office_wide=scope == "office")
    except Invalid as exc:
        return _page(request.form, exc.fields, exc.message, 400)
    flash(f"答复模板“{template.title}”已添加。")
    return redirect(url_for("reply_templates.index"), code=303)


@bp.post("/<int:template_id>")
@roles_required(*READERS)
def update(template_id: int):
    try:
        template = reply_templates.update(current_user, template_id, request.form.get("title", ""),
                                          request.form.get("body", ""))
    except Invalid as exc:
        return _page(request.form, exc.fields, exc.message, 400, editing=template_id)
    except DomainError as exc:
        return _page({}, {}, exc.message, status_of(exc))
    flash(f"答复模板“{template.title}”已修改。")
    return redirect(url_for("reply_templates.index"), code=303)


@bp.post("/<int:template_id>/delete")
@roles_required(*READERS)
def delete(template_id: int):
    try:
        title = reply_templates.delete(current_user, template_id)
    except DomainError as exc:
        return _page({}, {}, exc.message, status_of(exc))
    flash(f"答复模板“{title}”已删除。")
    return redirect(url_for("reply_templates.index"), code=303)
