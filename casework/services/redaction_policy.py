"""The office's redaction settings and masking texts for publication: the allow list of
public names, and the reviewer's texts masked with what they restored on purpose (the
reads are in queries/masking.py)."""

from __future__ import annotations

import sqlalchemy as sa

from workflows.errors import Invalid

from ..extensions import db
from ..models import Case, PublicName
from ..queries.masking import allowed_names, mask, people, restored
from ..redaction import normal
from .tx import transaction


def allow(name: str) -> PublicName:
    name = (name or "").strip()
    if not 2 <= len(name) <= 64:
        raise Invalid({"name": "名称应为 2–64 个字。"})
    with transaction():
        row = db.session.scalar(sa.select(PublicName).where(PublicName.name == name))
        if row is None:
            row = PublicName(name=name)
            db.session.add(row)
    return row


def disallow(name: str) -> bool:
    with transaction():
        row = db.session.scalar(sa.select(PublicName).where(PublicName.name == (name or "").strip()))
        if row is not None:
            db.session.delete(row)
    return row is not None


def mask_submitted(case: Case, texts: dict[str, str], masked_in_preview: set[str]) -> tuple[dict[str, str], list[str]]:
    """The reviewer's texts masked for publication. A value the preview masked (or that was
    restored before) and that the reviewer typed back is kept as written; everything else
    is masked, however it got there. Returns the texts and the values kept."""
    allowed = allowed_names()
    keep = masked_in_preview | {normal(v) for v in restored(case)}
    names = people(case, texts.values(), allowed)
    out, kept = {}, set()
    for key, text in texts.items():
        out[key], _ = mask(case, text, keep, allowed, names)
        kept |= {normal(f.original) for f in mask(case, text, (), allowed, names)[1]} & keep
    return out, sorted(kept)
