"""The knowledge base where cases are handled: suggested answers beside a unit's reply
form (copied into the draft in one click), a published answer turned into an entry in
one click, and the office's 高频诉求."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from workflows.errors import DomainError, NotFound
from workflows.vocabulary import OFFICE_ROLES

from .. import clock
from ..queries import hot_topics
from ..queries import knowledge as kb
from ..services import knowledge, lookup
from .access import roles_required
from .errors import flash_error
from .render import page

bp = Blueprint("knowledge_cases", __name__)


@bp.get("/cases/<number>/knowledge")
@login_required
def suggestions(number: str):
    case = lookup.case_for(current_user, number)
    return page("knowledge/reply_page.html", "knowledge/_reply_list.html", case=case, results=kb.for_reply(case))


@bp.post("/cases/<number>/knowledge/copy")
@login_required
def copy(number: str):
    try:
        knowledge.copy_to_draft(current_user, number, request.form.get("kind", ""),
                                request.form.get("ref", type=int) or 0)
        flash("已将答复口径加入草稿，请根据本件实际情况修改后再提交。")
    except NotFound:
        raise  # another unit's case, or nothing to copy: 404 (the case's existence is not revealed)
    except DomainError as exc:
        flash_error(exc)
    return redirect(url_for("cases.show", number=number), code=303)


@bp.post("/cases/<number>/knowledge/entry")
@login_required
def from_answer(number: str):
    try:
        entry = knowledge.from_answer(current_user, number)
    except NotFound:
        raise
    except DomainError as exc:
        flash_error(exc)
        return redirect(url_for("cases.show", number=number), code=303)
    flash("已由公开答复生成知识库条目（草稿，个人信息已按公开标准遮盖），请补充类别和政策依据后提交审核。")
    return redirect(url_for("knowledge_admin.show", entry_id=entry.id), code=303)


@bp.get("/knowledge/hot")
@roles_required(*OFFICE_ROLES)
def hot():
    days = 30 if request.args.get("days") == "30" else 7
    by = request.args.get("by") if request.args.get("by") in hot_topics.DIMENSIONS else "category"
    return page("knowledge/hot.html", "knowledge/_hot_topics.html",
                hot=hot_topics.recent(clock.now(), days, by))
