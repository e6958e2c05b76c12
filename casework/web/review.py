from __future__ import annotations

from flask import Blueprint, request

from workflows.vocabulary import ADMIN, REVIEWER

from .. import clock
from ..queries.queues import review_queue, submitted_replies
from .access import roles_required
from .render import page

bp = Blueprint("review", __name__)


@bp.get("/review")
@roles_required(REVIEWER, ADMIN)
def index():
    result = review_queue(cursor=request.args.get("after"))
    replies = submitted_replies([c.id for c in result.items])
    return page("review/index.html", "review/_list.html", result=result, replies=replies,
                now=clock.now())
