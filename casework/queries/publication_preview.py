"""The case page's publication panel: a letter's texts as they would be published, and
exactly what was masked in each, for the reviewer. What a reviewer restored when
publishing before stays restored."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Case, Reply
from . import masking

PARTS = {"subject": "标题", "body": "来信", "reply": "答复"}


def preview(case: Case, originals: bool = False) -> dict[str, Any]:
    """`originals`: from the letter and the accepted reply, ignoring an earlier publication."""
    reply = db.session.scalar(sa.select(Reply).where(Reply.case_id == case.id, Reply.status == "accepted")
                              .order_by(Reply.attempt.desc()).limit(1))
    allowed = masking.allowed_names()
    earlier = case.publication if not originals else None
    keep = masking.restored(case) if earlier else []
    sources = {"subject": earlier.subject if earlier else case.subject,
               "body": earlier.body if earlier else case.body,
               "reply": earlier.reply if earlier else (reply.body if reply else "")}
    names = masking.people(case, sources.values(), allowed)
    texts, found = {}, []
    for key, text in sources.items():
        texts[key], hits = masking.mask(case, text or "", keep, allowed, names)
        found += [(key, f) for f in hits]
    by_kind: dict[str, list] = {}
    for where, f in found:
        by_kind.setdefault(f.label, []).append((PARTS[where], f))
    return texts | {"found": [f for _, f in found], "by_kind": by_kind,
                    "reply_at": reply.submitted_at if reply else None}
