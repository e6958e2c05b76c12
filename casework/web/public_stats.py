"""The public statistics pages (no login): what was published, every version, downloads,
and the latest published inspection round. They also serve as the 留言受理情况统计 each
site must publish. Aggregates only: no personal data can reach them."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user

from workflows.clock import TZ, local_date
from workflows.errors import DomainError
from workflows.vocabulary import ADMIN, REVIEWER

from .. import clock
from ..documents import monthly, quarterly
from ..queries import public_stats, rounds
from ..services import notices, publication
from . import charts
from .access import roles_required
from .downloads import attachment
from .errors import flash_error
from .render import page

bp = Blueprint("public_stats", __name__)


@bp.get("/stats")
@bp.get("/stats/<period>")
def show(period: str | None = None):
    version = request.args.get("v", type=int)
    rows = public_stats.versions(period) if period else []
    snap = next((r for r in rows if r.version == version), None) if version else public_stats.current(period)
    if period and snap is None:
        abort(404)
    history = public_stats.history()
    context = {}
    if snap:
        data = snap.data
        by_period = {h.period: h.data for h in history}
        units = monthly.unit_rows(data)
        context = {
            "trend": charts.monthly("trend", "近 12 个月受理与办结（封）", by_period, snap.period, ("received", "closed")),
            "problems": charts.monthly("problems", "近 12 个月超期与退回（封）", by_period, snap.period,
                                       ("overdue", "returned")),
            "league": charts.league(data), "unit_rows": units,
            "unit_total": monthly.totals(units, data["decimals"]) | {"avg_days": None},
            "idle_units": [u for u in monthly.unit_rows(data, include_idle=True) if not u["received"]],
            "table_notes": monthly.table_notes(data, list_exclusions=False)[1:],
            "three_rates": monthly.has_three_rates(data), "exclusions": data.get("exclusions") or [],
            "notice": public_stats.notice_for_stats(snap.id),
            "versions": public_stats.versions(snap.period)}
    round_pub = public_stats.latest_round()
    can_publish = current_user.is_authenticated and current_user.role in (ADMIN, REVIEWER)
    return page("stats/index.html", snap=snap, history=history, can_publish=can_publish, round_pub=round_pub,
                round_notice=public_stats.notice_for_round(round_pub.id) if round_pub else None,
                proposed_number=notices.propose(current_app.config["NOTICE_CODE"], local_date(clock.now()).year)
                if can_publish else "", **context)


@bp.get("/stats/<period>/v<int:version>.<fmt>")
def download(period: str, version: int, fmt: str):
    snap = next((r for r in public_stats.versions(period) if r.version == version), None)
    if snap is None or fmt not in ("xlsx", "csv", "docx"):
        abort(404)
    base = monthly.period_text(period) + "市长信箱来信办理情况" + (f"（第{version}版）" if version > 1 else "")
    fallback = f"mailbox-{period}-v{version}.{fmt}"
    if fmt == "docx":
        content = monthly.docx_bytes(snap, public_stats.notice_for_stats(snap.id), current_app.config)
        return attachment(content, f"{base}通报.docx", fallback)
    include_idle = request.args.get("all") == "1"
    content = (monthly.xlsx_bytes if fmt == "xlsx" else monthly.csv_data)(snap, include_idle)
    return attachment(content, f"{base}.{fmt}", fallback)


@bp.get("/stats/inspections/<int:round_id>/v<int:version>.<fmt>")
def round_download(round_id: int, version: int, fmt: str):
    """A published round's 通报 and 附件 1、2: public, as issued."""
    if fmt not in ("docx", "xlsx"):
        abort(404)
    try:
        row, notice = rounds.publication(round_id, version)
    except DomainError:
        abort(404)
    label = row.data["round"]["name"] + (f"（第{version}版）" if version > 1 else "")
    fallback = f"inspection-{round_id}-v{version}.{fmt}"
    if fmt == "docx":
        fields = {"number": notice.number, "issued_on": notice.issued_on, **notice.texts}
        return attachment(quarterly.docx_bytes(row.data, fields, current_app.config),
                          f"{label}政府网站和政务新媒体检查情况通报.docx", fallback)
    subtitle = f"第 {row.version} 版 · {notice.number} · 发布于 {row.published_at.astimezone(TZ):%Y-%m-%d %H:%M}"
    return attachment(quarterly.xlsx_bytes(row.data, subtitle), f"{label}检查结果（附件1、2）.xlsx", fallback)


@bp.post("/stats/publish")
@roles_required(ADMIN, REVIEWER)
def publish():
    form = request.form
    note = form.get("note", "")
    try:
        snap = publication.publish(current_user, form.get("month", ""), note=note, correction=bool(note.strip()),
                                   number=form.get("number") or None)
    except DomainError as exc:
        flash_error(exc)
        return redirect(url_for("public_stats.show"), code=303)
    flash(f"{snap.period} 统计已发布（第 {snap.version} 版）。")
    return redirect(url_for("public_stats.show", period=snap.period), code=303)
