"""The citizens' side: writing a letter from the public form. Rating the answer, and the
office publishing it, are events on the case (workflows/public_side.py, fired through
case_actions.perform). What the writer reads is in queries/letter_progress.py; the
public list in queries/public_letters.py."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from workflows.errors import Invalid
from workflows.fields import Field, clean_fields
from workflows.vocabulary import LETTER_CATEGORIES

from .. import clock
from ..extensions import db
from ..models import Case
from ..permissions import Citizen
from ..queries.letter_progress import digest
from . import attachments, intake
from .tx import transaction

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
PUBLIC_FIELDS = (
    Field("citizen_name", "姓名", max_length=32),
    Field("citizen_phone", "联系电话", "phone"),
    Field("subject", "标题", max_length=100),
    Field("body", "内容", "textarea", max_length=5000),
    # Chosen by the writer, never defaulted: it sets the time limit of the answer.
    Field("category", "诉求类别", "choice",
          choices=tuple((k, v) for k, v in LETTER_CATEGORIES.items() if k != "urgent")),
)


def submit(raw: Mapping[str, Any], consent: bool, uploads: list[attachments.Upload]) -> tuple[Case, str]:
    """A letter from the public form; returns the case and its query code (shown once)."""
    fields = clean_fields(PUBLIC_FIELDS, raw)
    uploads = attachments.check(uploads, field="attachment")
    if len(uploads) > 1:
        raise Invalid({"attachment": "最多上传 1 个附件。"})
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    now = clock.now()
    with transaction():
        case = intake.new_case(Citizen(), "letter", fields, now, event_data={"consent_publish": consent},
                               category=fields["category"], channel="web",
                               citizen_name=fields["citizen_name"],
                               citizen_phone=fields["citizen_phone"],
                               consent_publish=consent, query_code_hash=digest(code))
        db.session.flush()
        attachments.attach(case, uploads, None)
    return case, code
