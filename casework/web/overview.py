from __future__ import annotations

from flask import Blueprint

from workflows.vocabulary import OFFICE_ROLES

from .. import clock
from ..queries import hot_topics
from ..queries.overview import late_cases, per_unit, supervised, supervision_counts, unsatisfied
from ..queries.queues import extension_requests
from .access import roles_required
from .nav import nav_counts
from .render import page

bp = Blueprint("overview", __name__)


@bp.get("/overview")
@roles_required(*OFFICE_ROLES)
def index():
    now = clock.now()
    # Counted with the lists, and the badge shown on this page with them: the number in
    # the navigation is the number of cases listed here.
    counts = supervision_counts(now)
    nav_counts().update(counts)
    return page("overview/index.html", now=now, supervised=supervised(), unsatisfied=unsatisfied(),
                overdue=late_cases(now, overdue=True),
                due_soon=late_cases(now, overdue=False), units=per_unit(now),
                extensions=extension_requests(), hot=hot_topics.recent(now), counts=counts)
