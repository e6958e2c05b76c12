"""What the public side's events (workflows/public_side.py) do to a letter: publishing
its answer with personal data masked, withdrawing it, and recording the writer's rating.
`case_actions.perform` authorizes and commits; these return the audit data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import Case, CasePublication, CaseRating
from ..queries.publication_preview import preview
from ..redaction import normal
from ..text_search import index_tokens
from . import redaction_policy

# No reason makes these public: a reviewer who types them back still gets them masked.
NEVER_RESTORED = {"id_card", "bank_card", "name"}


def publish(case: Case, fields: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Publish the accepted answer with the texts the reviewer checked. They are masked
    again here, so nothing new slips through an edit; what the preview masked and the
    reviewer deliberately restored stays as the reviewer left it."""
    # What the reviewer was shown masked, now or in the letter as written (the case page
    # shows it in full): typed back in, it was restored on purpose.
    masked_before = {normal(f.original) for view in (preview(case), preview(case, originals=True))
                     for f in view["found"] if f.kind not in NEVER_RESTORED}
    masked_before.discard(normal(case.citizen_phone or ""))
    texts, kept = redaction_policy.mask_submitted(
        case, {k: fields[k] for k in ("subject", "body", "reply")}, masked_before)
    publication = case.publication or CasePublication()
    publication.unit_id, publication.category = case.unit_id, case.category
    publication.subject = texts["subject"][:200]
    publication.body, publication.reply = texts["body"], texts["reply"]
    publication.search = index_tokens(publication.subject, publication.body, publication.reply)
    publication.published_at = now
    case.publication = publication
    return {"restored": kept}


def withdraw(case: Case) -> None:
    """Off the portal; the texts stay for the next publication."""
    case.publication.published_at = None


def rate(case: Case, fields: dict[str, Any], now: datetime) -> tuple[str | None, dict[str, Any]]:
    """The writer's rating, once. 不满意 puts the letter on the office's 督办 page."""
    reasons = (fields.get("reasons") or []) if fields["rating"] == "unsatisfied" else []
    case.rating = CaseRating(grade=fields["rating"], reasons=reasons or None,
                             comment=fields.get("comment"), rated_at=now)
    return fields.get("comment"), {"rating": fields["rating"], "reasons": reasons}
