"""An inspection round's page (office): its verdicts, what it checked, the draft and the
published 通报, and the result tables."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user

from workflows.clock import TZ
from workflows.errors import DomainError, Invalid
from workflows.vocabulary import ADMIN, REVIEWER

from .. import clock
from ..documents import quarterly
from ..extensions import db
from ..models import InspectionRound
from ..models.inspection import MEMBER_SOURCES, VERDICTS
from ..queries import rounds as reads
from ..queries.registry import accounts, websites
from ..services import inspections, round_members, round_publication
from ..services.notices import parse_number
from .access import roles_required
from .downloads import attachment
from .errors import act_then_redirect, flash_error
from .render import page

bp = Blueprint("rounds", __name__, url_prefix="/inspections")
MAX_LIST = 5 * 1024 * 1024


def _round(round_id: int) -> InspectionRound:
    rnd = db.session.get(InspectionRound, round_id)
    if rnd is None:
        abort(404)
    return rnd


def _back(round_id: int, anchor: str = "") -> str:
    return url_for("rounds.show", round_id=round_id) + anchor


@bp.get("/<int:round_id>")
@roles_required(ADMIN, REVIEWER)
def show(round_id: int):
    rnd = _round(round_id)
    results = reads.verdicts(rnd)
    members = reads.members(rnd.id)
    with_findings = {v.key for v in results}
    in_round = {(m.website_id, m.account_id) for m in members}
    sources = {key: sum(m.source == key for m in members) for key in MEMBER_SOURCES}
    return page("inspections/show.html", rnd=rnd, verdicts=results, summary=reads.summary(rnd, results),
                labels=VERDICTS, sources=sources, source_labels=MEMBER_SOURCES, members=members,
                removable=[m for m in members if (m.website_id, m.account_id) not in with_findings],
                sites=[s for s in websites() if (s.id, None) not in in_round and s.status == "open"],
                accounts=[a for a in accounts() if (None, a.id) not in in_round and a.status != "deregistered"],
                versions=reads.publications(rnd.id), start=round_publication.defaults(rnd))


@bp.post("/<int:round_id>/override")
@roles_required(ADMIN, REVIEWER)
def override(round_id: int):
    form = request.form
    rnd = _round(round_id)
    return act_then_redirect(
        lambda: inspections.override(current_user, rnd.id, form.get("website_id", type=int),
                                     form.get("account_id", type=int), form.get("verdict", ""),
                                     form.get("reason", "")),
        "已改判。", _back(round_id, "#verdicts"))


@bp.post("/<int:round_id>/members/all")
@roles_required(ADMIN, REVIEWER)
def add_all(round_id: int):
    return act_then_redirect(lambda: round_members.add_all_registered(current_user, _round(round_id).id),
                             "已将全部登记在册的网站和账号列入本轮检查范围。", _back(round_id, "#scope"))


@bp.post("/<int:round_id>/members/picked")
@roles_required(ADMIN, REVIEWER)
def add_picked(round_id: int):
    sites = request.form.getlist("website_id", type=int)
    picked = request.form.getlist("account_id", type=int)
    return act_then_redirect(lambda: round_members.add_picked(current_user, _round(round_id).id, sites, picked),
                             f"已列入 {len(sites) + len(picked)} 个检查对象。", _back(round_id, "#scope"))


@bp.post("/<int:round_id>/members/list")
@roles_required(ADMIN, REVIEWER)
def add_list(round_id: int):
    upload = request.files.get("file")
    rnd = _round(round_id)
    try:
        if upload is None or not upload.filename:
            raise Invalid({"file": "请选择检查名单文件（xlsx 或 csv）。"})
        content = upload.read(MAX_LIST + 1)
        if len(content) > MAX_LIST:
            raise Invalid({"file": "名单文件不能超过 5 MB。"})
        added = round_members.add_list(current_user, rnd.id, content, upload.filename)
    except DomainError as exc:
        flash_error(exc)
    else:
        flash(f"名单已导入：新列入 {added} 个检查对象。")
    return redirect(_back(round_id, "#scope"), code=303)


@bp.post("/<int:round_id>/members/remove")
@roles_required(ADMIN, REVIEWER)
def remove(round_id: int):
    form = request.form
    return act_then_redirect(
        lambda: round_members.remove(current_user, _round(round_id).id, form.get("website_id", type=int),
                                     form.get("account_id", type=int)),
        "已移出检查范围。", _back(round_id, "#scope"))


def _notice_form(rnd: InspectionRound) -> dict:
    form, start = request.form, round_publication.defaults(rnd)
    try:
        issued_on = date.fromisoformat(form.get("issued_on") or start["issued_on"].isoformat())
    except ValueError:
        raise Invalid({"issued_on": "成文日期应为 YYYY-MM-DD。"}) from None
    return {"number": (form.get("number") or "").strip() or start["number"], "issued_on": issued_on,
            "intro": (form.get("intro") or "").strip() or start["intro"],
            "requirements": (form.get("requirements") or "").strip() or start["requirements"]}


@bp.post("/<int:round_id>/notice")
@roles_required(ADMIN, REVIEWER)
def notice(round_id: int):
    """Two buttons: 下载草稿 renders the live round with the texts as typed (nothing is
    written); 发布 freezes the round and registers the 文号."""
    rnd = _round(round_id)
    try:
        fields = _notice_form(rnd)
        if request.form.get("action") == "draft":
            parse_number(fields["number"])
            content = quarterly.docx_bytes(reads.snapshot(rnd), fields, current_app.config)
            return attachment(content, f"{rnd.name}检查情况通报（草稿）.docx", f"inspection-{rnd.id}-draft.docx")
        row = round_publication.publish(current_user, rnd.id, note=request.form.get("note"), **fields)
    except DomainError as exc:
        flash_error(exc)
        return redirect(_back(round_id, "#notice"), code=303)
    flash(f"通报已发布（第 {row.version} 版），公开页面已更新。")
    return redirect(_back(round_id, "#notice"), code=303)


@bp.get("/<int:round_id>/results.xlsx")
@roles_required(ADMIN, REVIEWER)
def export(round_id: int):
    rnd = _round(round_id)
    subtitle = f"工作底稿（未发布）· 导出于 {clock.now().astimezone(TZ):%Y-%m-%d %H:%M}"
    return attachment(quarterly.xlsx_bytes(reads.snapshot(rnd), subtitle), f"{rnd.name}检查结果（附件1、2）.xlsx",
                      f"inspection-{rnd.id}-results.xlsx")
