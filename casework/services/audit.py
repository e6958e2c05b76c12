from __future__ import annotations

from datetime import datetime
from typing import Any

from ..extensions import db
from ..models import Case, CaseEvent


def record(case: Case, actor, event: str, at: datetime, *, from_state: str | None = None,
           to_state: str | None = None, comment: str | None = None,
           data: dict[str, Any] | None = None) -> CaseEvent:
    entry = CaseEvent(case=case, actor_id=getattr(actor, "id", None), event=event,
                      from_state=from_state, to_state=to_state, at=at, comment=comment,
                      data=data or {})
    db.session.add(entry)
    return entry
