"""检查整改: rounds, and importing a result table (preview first, then an RQ job)."""

from __future__ import annotations

import base64
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from workflows.errors import DomainError, Invalid
from workflows.vocabulary import ADMIN, REVIEWER

from ..jobs.connection import queue
from ..queries import rounds as reads
from ..services import inspections
from .access import roles_required
from .errors import flash_error
from .render import page

bp = Blueprint("inspections", __name__, url_prefix="/inspections")
MAX_TABLE = 5 * 1024 * 1024


def _form_dates() -> tuple[date, date | None]:
    try:
        deadline = date.fromisoformat(request.form.get("deadline", ""))
    except ValueError:
        raise Invalid({"deadline": "请填写整改期限（YYYY-MM-DD）。"}) from None
    inspected = request.form.get("inspected_on") or None
    return deadline, date.fromisoformat(inspected) if inspected else None


@bp.get("")
@roles_required(ADMIN, REVIEWER)
def index():
    return render_template("inspections/index.html", rounds=reads.rounds())


@bp.post("/rounds")
@roles_required(ADMIN, REVIEWER)
def create_round():
    """A round without a result table (a quarter may find nothing): its scope comes next."""
    try:
        deadline, inspected_on = _form_dates()
        rnd = inspections.create_round(current_user, request.form.get("round", ""), deadline, inspected_on)
    except (DomainError, ValueError) as exc:
        flash_error(exc, "日期格式不正确。")
        return redirect(url_for("inspections.index"), code=303)
    return redirect(url_for("rounds.show", round_id=rnd.id), code=303)


@bp.post("/preview")
@roles_required(ADMIN, REVIEWER)
def preview():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择要导入的表格文件。", "error")
        return redirect(url_for("inspections.index"), code=303)
    content = upload.read(MAX_TABLE + 1)
    try:
        if len(content) > MAX_TABLE:
            raise Invalid({"file": "表格文件不能超过 5 MB。"})
        _form_dates()
        rows = inspections.preview(content, upload.filename)
    except (DomainError, ValueError) as exc:
        flash_error(exc, "日期格式不正确。")
        return redirect(url_for("inspections.index"), code=303)
    return render_template("inspections/preview.html", rows=rows, filename=upload.filename,
                           content=base64.b64encode(content).decode(), form=request.form,
                           ok=not any(r.row.errors for r in rows))


@bp.post("/commit")
@roles_required(ADMIN, REVIEWER)
def commit():
    """The import runs as an RQ job (a big table takes a while); the browser follows it."""
    try:
        content = base64.b64decode(request.form.get("content", ""), validate=True)
        deadline, inspected_on = _form_dates()
    except (DomainError, ValueError) as exc:
        flash_error(exc, "表格内容无效。")
        return redirect(url_for("inspections.index"), code=303)
    job = queue().enqueue("casework.jobs.tasks.import_findings", current_user.id, content,
                          request.form.get("filename", "table.csv"), request.form.get("round", ""),
                          deadline.isoformat(), inspected_on.isoformat() if inspected_on else None,
                          job_timeout=1800, result_ttl=86400, failure_ttl=86400)
    return redirect(url_for("inspections.job", job_id=job.id), code=303)


@bp.get("/jobs/<job_id>")
@roles_required(ADMIN, REVIEWER)
def job(job_id: str):
    try:
        found = Job.fetch(job_id, connection=queue().connection)
    except (NoSuchJobError, ValueError):  # ValueError: not even a job id
        abort(404)
    if found.func_name != "casework.jobs.tasks.import_findings":
        abort(404)
    status = found.get_status()
    result = found.return_value() if status == JobStatus.FINISHED else None
    status = getattr(status, "value", status)  # the template compares plain strings
    return page("inspections/job.html", "inspections/_job.html", job=found, state=status, result=result,
                meta=found.get_meta())
