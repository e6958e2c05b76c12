from __future__ import annotations

from flask import Blueprint, request

from workflows.vocabulary import ADMIN, REVIEWER

from .. import clock
from ..queries.queues import review_queue, submitted_replies
from .access import roles_required
from .nav import nav_counts
from .render import page

bp = Blueprint("review", __name__)


@bp.get("/review")
@roles_required(REVIEWER, ADMIN)
def index():
    # The queue's size is the navigation's 审核 count (cached; dropped by any case change).
    result = review_queue(cursor=request.args.get("after"), total=nav_counts()["review"])
    replies = submitted_replies([c.id for c in result.items])
    return page("review/index.html", "review/_list.html", result=result, replies=replies,
                now=clock.now())
