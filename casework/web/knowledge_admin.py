"""Writing and reviewing knowledge base entries (the office and units), importing them
from a spreadsheet, and the office's synonym list."""

from __future__ import annotations

import base64

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflows.errors import DomainError, Invalid
from workflows.vocabulary import ADMIN, OFFICE_ROLES, REVIEWER, UNIT_ROLES

from ..http_errors import status_of
from ..models.knowledge import ENTRY_STATES
from ..queries.units import picker_units
from ..services import knowledge, knowledge_import, synonyms
from .access import roles_required
from .errors import flash_error

bp = Blueprint("knowledge_admin", __name__, url_prefix="/knowledge/manage")
WRITERS = (*OFFICE_ROLES, *UNIT_ROLES)


@bp.app_template_filter("kb_state")
def kb_state(state: str) -> str:
    return ENTRY_STATES.get(state, state)


def _version() -> int | None:
    raw = request.form.get("_version", "")
    return int(raw) if raw.isdigit() else None


def _form(entry=None, values=None, errors=None, error=None, status=200):
    values = values if values is not None else _values(entry)
    return render_template("knowledge/edit.html", entry=entry, fields=knowledge.FIELDS, values=values,
                           errors=errors or {}, error=error, units=picker_units(),
                           can_publish=knowledge.can_review(current_user)), status


def _values(entry) -> dict:
    if entry is None:
        return {}
    values = {f.name: getattr(entry, f.name, None) for f in knowledge.FIELDS}
    values["unit_code"] = entry.unit.code if entry.unit else None
    for key in ("valid_from", "valid_until"):
        values[key] = values[key].isoformat() if values[key] else ""
    return values


@bp.get("")
@roles_required(*WRITERS)
def index():
    state = request.args.get("state") or None
    if state and state not in ENTRY_STATES:
        abort(404)
    return render_template("knowledge/manage.html", entries=knowledge.listing(current_user, state),
                           state=state, states=ENTRY_STATES, can_review=knowledge.can_review(current_user))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*WRITERS)
def new():
    if request.method == "GET":
        return _form()
    try:
        entry = knowledge.create(current_user, request.form, publish=request.form.get("publish") == "1")
    except Invalid as exc:
        return _form(values=request.form, errors=exc.fields, error=exc.message, status=400)
    flash(f"条目已保存（{entry.state_label}）。")
    return redirect(url_for("knowledge_admin.show", entry_id=entry.id), code=303)


@bp.get("/<int:entry_id>")
@roles_required(*WRITERS)
def show(entry_id: int):
    entry = knowledge.get(current_user, entry_id)
    return render_template("knowledge/show.html", entry=entry, actions=knowledge.allowed(current_user, entry),
                           labels=knowledge.ACTIONS, can_edit=knowledge.can_edit(current_user, entry),
                           source=knowledge.source_case(entry))


@bp.route("/<int:entry_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITERS)
def edit(entry_id: int):
    entry = knowledge.get(current_user, entry_id)
    if not knowledge.can_edit(current_user, entry):
        abort(403)
    if request.method == "GET":
        return _form(entry)
    try:
        knowledge.update(current_user, entry_id, request.form, expected_version=_version())
    except Invalid as exc:
        return _form(entry, request.form, exc.fields, exc.message, 400)
    except DomainError as exc:
        return _form(entry, request.form, {}, exc.message, status_of(exc))
    flash("条目已修改，已记入版本历史。")
    return redirect(url_for("knowledge_admin.show", entry_id=entry_id), code=303)


@bp.post("/<int:entry_id>/<event>")
@roles_required(*WRITERS)
def act(entry_id: int, event: str):
    try:
        entry = knowledge.transition(current_user, entry_id, event, request.form.get("comment", ""),
                                     expected_version=_version())
        flash(f"{knowledge.ACTIONS.get(event, '操作')}：完成，条目现为“{entry.state_label}”。")
    except Invalid as exc:
        flash_error(exc)
    except DomainError as exc:
        if status_of(exc) == 404:
            raise
        flash_error(exc)
    return redirect(url_for("knowledge_admin.show", entry_id=entry_id), code=303)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*WRITERS)
def import_entries():
    if request.method == "GET":
        return render_template("knowledge/import.html", rows=None)
    upload = request.files.get("file")
    if upload and upload.filename:
        content, filename = upload.read(), upload.filename
    else:  # the confirmation carries the previewed file back
        try:
            content = base64.b64decode(request.form.get("content", ""), validate=True)
        except ValueError:
            content = b""
        filename = request.form.get("filename", "")
    publish = request.form.get("publish") == "1"
    try:
        if request.form.get("confirm") != "1":
            rows = knowledge_import.preview(content, filename)
            return render_template("knowledge/import.html", rows=rows, publish=publish,
                                   ok=not any(r.errors for r in rows), filename=filename,
                                   content=base64.b64encode(content).decode())
        count = knowledge_import.commit(current_user, content, filename, publish=publish)
    except DomainError as exc:
        message = getattr(exc, "fields", {}).get("file") or exc.message
        return render_template("knowledge/import.html", rows=None, error=message), status_of(exc)
    flash(f"已导入 {count} 条。")
    return redirect(url_for("knowledge_admin.index"), code=303)


@bp.route("/synonyms", methods=["GET", "POST"])
@roles_required(ADMIN, REVIEWER)
def synonym_list():
    error, status = None, 200
    if request.method == "POST":
        group_id = request.form.get("id", type=int)
        try:
            if request.form.get("remove") == "1" and group_id:
                synonyms.remove(group_id)
                flash("已删除该组同义词。")
            else:
                synonyms.save(request.form.get("terms", ""), group_id)
                flash("同义词已保存，一分钟内对所有检索生效。")
            return redirect(url_for("knowledge_admin.synonym_list"), code=303)
        except DomainError as exc:
            error, status = (getattr(exc, "fields", {}) or {}).get("terms") or exc.message, status_of(exc)
    return render_template("knowledge/synonyms.html", groups=synonyms.all_groups(), error=error,
                           terms=request.form.get("terms", "")), status
