"""The 派单目录: the office edits it in the browser or imports it from xlsx; the 12345
centre reads it. Every change is a version (who, when, what)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflows.errors import Invalid, NotFound
from workflows.vocabulary import ADMIN, BASIS_KINDS, OFFICE_ROLES

from ..http_errors import status_of
from ..queries import catalogue as read
from ..queries.units import picker_units
from ..services import catalogue, catalogue_import
from .access import roles_required
from .downloads import attachment
from .errors import act_then_redirect

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")


def _values(entry) -> dict:
    return {"name": entry.name, "category": entry.category or "", "keywords": entry.keywords,
            "area": entry.area or "", "unit_code": entry.unit.code, "basis_kind": entry.basis_kind,
            "basis": entry.basis, "city_level": "1" if entry.city_level else ""}


def _form(entry=None, values=None, errors=None, error=None, status=200, history=()):
    return render_template("catalogue/edit.html", entry=entry, fields=catalogue.FIELDS, history=history,
                           values=values if values is not None else (_values(entry) if entry else {}),
                           errors=errors or {}, error=error, units=picker_units(),
                           basis_kinds=BASIS_KINDS), status


@bp.get("")
@roles_required(*OFFICE_ROLES)
def index():
    q = request.args.get("q", "").strip()
    entries = read.current_entries()
    if q:
        entries = [e for e in entries if q in e.name or q in e.keywords or q in (e.category or "")
                   or q in (e.area or "") or q in e.unit.name]
    return render_template("catalogue/index.html", entries=entries, q=q, version=read.current_version(),
                           basis_kinds=BASIS_KINDS, can_edit=current_user.role == ADMIN,
                           import_errors=None)


@bp.get("/history")
@roles_required(*OFFICE_ROLES)
def history():
    return render_template("catalogue/history.html", versions=read.versions())


@bp.get("/template.xlsx")
@roles_required(*OFFICE_ROLES)
def template():
    return attachment(catalogue_import.template(), "派单目录导入模板.xlsx", "catalogue-template.xlsx")


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new():
    if request.method == "GET":
        return _form()
    try:
        entry = catalogue.save(current_user, request.form.to_dict())
    except Invalid as exc:
        return _form(values=request.form, errors=exc.fields, error=exc.message, status=400)
    flash(f"已新增事项「{entry.name}」。")
    return redirect(url_for("catalogue.index"), code=303)


@bp.route("/<int:matter_id>", methods=["GET", "POST"])
@roles_required(*OFFICE_ROLES)
def edit(matter_id: int):
    rows = read.matter_history(matter_id)
    if not rows:
        abort(404)
    current = rows[0] if rows[0].superseded_in is None else None
    if request.method == "GET":
        return _form(current, history=rows)
    if current_user.role != ADMIN:
        abort(403)
    try:
        entry = catalogue.save(current_user, request.form.to_dict(), matter_id)
    except (Invalid, NotFound) as exc:
        fields = exc.fields if isinstance(exc, Invalid) else {}
        return _form(current, values=request.form, errors=fields, error=exc.message,
                     status=status_of(exc), history=rows)
    flash(f"已保存事项「{entry.name}」（派单目录第 {entry.version} 版）。")
    return redirect(url_for("catalogue.index"), code=303)


@bp.post("/<int:matter_id>/retire")
@roles_required(ADMIN)
def retire(matter_id: int):
    return act_then_redirect(lambda: catalogue.retire(current_user, matter_id), "事项已停用。",
                             url_for("catalogue.index"))


@bp.post("/import")
@roles_required(ADMIN)
def import_file():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择要导入的 xlsx 或 csv 文件。")
        return redirect(url_for("catalogue.index"), code=303)
    try:
        added, changed = catalogue_import.commit(current_user, upload.read(), upload.filename)
    except Invalid as exc:
        return render_template("catalogue/index.html", entries=read.current_entries(), q="",
                               version=read.current_version(), basis_kinds=BASIS_KINDS, can_edit=True,
                               import_errors=exc), status_of(exc)
    flash(f"导入完成：新增 {added} 项，修改 {changed} 项。" if added or changed else "导入完成：没有变化。")
    return redirect(url_for("catalogue.index"), code=303)
