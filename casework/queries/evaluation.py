"""Requests excluded from evaluation (不合理诉求) in a period, as the published tables list
them: number, unit and the office's reason with personal data masked."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import Case, EvaluationExclusion
from . import masking


def exclusions(start: datetime, end: datetime, case_type: str = "letter") -> list[dict]:
    rows = db.session.execute(
        sa.select(Case, EvaluationExclusion.reason).join(EvaluationExclusion, EvaluationExclusion.case_id == Case.id)
        .options(sa.orm.joinedload(Case.unit))
        .where(Case.type == case_type, Case.received_at >= start, Case.received_at < end)
        .order_by(Case.number)).all()
    return [{"number": case.number, "unit": case.unit.name if case.unit else "未派单",
             "reason": masking.mask_all(case, {"reason": reason}, (case.subject, case.body))["reason"]}
            for case, reason in rows]
