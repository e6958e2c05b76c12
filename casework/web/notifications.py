from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user, login_required

from ..queries.notifications import recent
from ..services import notifications
from .render import page

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index():
    return page("notifications/index.html", items=recent(current_user.id))


@bp.post("/notifications/read")
@login_required
def mark_read():
    count = notifications.mark_all_read(current_user.id)
    flash(f"已将 {count} 条通知标为已读。")
    return redirect(url_for("notifications.index"), code=303)
