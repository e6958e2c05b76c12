"""The public statistics pages (no login): what was published, every version, downloads.
They also serve as the 留言受理情况统计 each site must publish. Aggregates only: no
personal data can reach them."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_login import current_user

from workflows.errors import DomainError
from workflows.vocabulary import ADMIN, REVIEWER

from .. import reports
from ..queries import inspections
from ..services import publication
from . import charts
from .access import roles_required
from .errors import flash_error
from .render import page

bp = Blueprint("public_stats", __name__)

DOWNLOADS = {"xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", reports.xlsx_bytes),
             "csv": ("text/csv; charset=utf-8", reports.csv_bytes),
             "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", reports.docx_bytes)}


@bp.get("/stats")
@bp.get("/stats/<period>")
def show(period: str | None = None):
    version = request.args.get("v", type=int)
    rows = publication.versions(period) if period else []
    snap = next((r for r in rows if r.version == version), None) if version else publication.current(period)
    if period and snap is None:
        abort(404)
    history = publication.history()
    trend = charts.bars([(h.period[2:], h.data["overall"]["received"], h.data["overall"]["closed"])
                         for h in history[-12:]], "近 12 个月受理与办结", "受理", "办结")
    overdue = charts.bars([(h.period[2:], h.data["overall"]["overdue"], h.data["overall"]["returned"])
                           for h in history[-12:]], "近 12 个月超期与退回", "超期", "退回")
    by_unit = charts.hbars([(u["name"], u["closed"], u["received"], u["closed_rate"])
                            for u in (snap.data["units"] if snap else []) if u["received"]][:15],
                           "各单位办结率") if snap else ""
    rounds = inspections.rounds()
    return page("stats/index.html", snap=snap, inspection=inspections.summary(rounds[0]) if rounds else None,
                inspection_round=rounds[0] if rounds else None, versions=publication.versions(snap.period) if snap else [],
                history=history, trend=trend, overdue_chart=overdue, by_unit=by_unit,
                can_publish=current_user.is_authenticated and current_user.role in (ADMIN, REVIEWER))


@bp.get("/stats/<period>/v<int:version>.<fmt>")
def download(period: str, version: int, fmt: str):
    if fmt not in DOWNLOADS:
        abort(404)
    snap = next((r for r in publication.versions(period) if r.version == version), None)
    if snap is None:
        abort(404)
    mimetype, render = DOWNLOADS[fmt]
    name = f"casework-stats-{period}-v{version}.{fmt}"
    return Response(render(snap.data), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/stats/publish")
@roles_required(ADMIN, REVIEWER)
def publish():
    month = request.form.get("month", "")
    note = request.form.get("note", "")
    try:
        snap = publication.publish(current_user, month, note=note, correction=bool(note.strip()))
    except DomainError as exc:
        flash_error(exc)
        return redirect(url_for("public_stats.show"), code=303)
    flash(f"{snap.period} 统计已发布（第 {snap.version} 版）。")
    return redirect(url_for("public_stats.show", period=snap.period), code=303)
