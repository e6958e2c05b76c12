"""Where a letter's evaluation comes from, for the figures: the 回访 (the centre's call,
which wins when it reached the writer) or the writer's own rating; and whether the office
excluded the request from evaluation (不合理诉求).

The one place that knows where the citizen's rating is stored (case_ratings): statistics
read it only through `with_evaluation`."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from .models import Callback, Case, CaseRating, EvaluationExclusion

SATISFIED = ("satisfied", "basically_satisfied")


@dataclass(frozen=True)
class Evaluation:
    satisfaction: sa.ColumnElement     # satisfied | basically_satisfied | unsatisfied | NULL
    resolution: sa.ColumnElement       # TRUE / FALSE, NULL when nobody said
    excluded: sa.ColumnElement         # TRUE for a 不合理诉求


def _citizen_resolved() -> sa.ColumnElement:
    # The writer's rating says "not solved" only when 不满意 gives 问题没有解决 as a reason.
    unsolved = sa.cast(CaseRating.reasons, sa.Text).like('%"unsolved"%')
    return sa.case((CaseRating.grade.is_(None), sa.null()),
                   (sa.and_(CaseRating.grade == "unsatisfied", unsolved), sa.false()), else_=sa.true())


def with_evaluation(stmt: sa.Select) -> tuple[sa.Select, Evaluation]:
    """`stmt` (a select over Case) joined to what evaluates each case."""
    call = sa.orm.aliased(Callback)
    stmt = (stmt.outerjoin(call, sa.and_(call.case_id == Case.id, call.status == "done"))
            .outerjoin(EvaluationExclusion, EvaluationExclusion.case_id == Case.id)
            # Ratings are few beside the cases: an outer join to their own table.
            .outerjoin(CaseRating, CaseRating.case_id == Case.id))
    return stmt, Evaluation(
        satisfaction=sa.func.coalesce(call.satisfaction, CaseRating.grade),
        resolution=sa.case((call.id.is_not(None), call.resolved), else_=_citizen_resolved()),
        excluded=EvaluationExclusion.case_id.is_not(None))
