"""What the page of a finding (整改) shows beyond the case: the site or account, the round,
the verdict as it stands, and the same target's findings in every round."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..importing import CATEGORIES
from ..models import Case, Finding, FindingCategory, InspectionRound
from ..models.inspection import PLATFORMS, VERDICTS
from .rounds import finding_verdict


@dataclass(frozen=True)
class RoundEntry:
    round: InspectionRound
    finding: Finding
    verdict: str  # pass | issues | fail
    current: bool

    @property
    def verdict_label(self) -> str:
        return VERDICTS[self.verdict]


@dataclass(frozen=True)
class FindingFacts:
    finding: Finding
    round: InspectionRound
    target: str  # what was inspected, as people name it
    address: str | None
    site_code: str | None
    category: str
    verdict: str  # pass | issues | fail: the latest re-inspection, else the imported one
    history: list[RoundEntry]

    @property
    def verdict_label(self) -> str:
        return VERDICTS[self.verdict]


def facts(case: Case) -> FindingFacts | None:
    finding = db.session.scalar(sa.select(Finding).where(Finding.case_id == case.id).options(
        joinedload(Finding.website), joinedload(Finding.account)))
    if finding is None:
        return None
    target = Finding.website_id == finding.website_id if finding.website_id is not None \
        else Finding.account_id == finding.account_id
    rows = db.session.execute(
        sa.select(Finding, InspectionRound).join(InspectionRound, InspectionRound.id == Finding.round_id)
        .where(target).options(joinedload(Finding.case))
        .order_by(sa.func.coalesce(InspectionRound.inspected_on, InspectionRound.rectify_by),
                  InspectionRound.id, Finding.id)).all()
    history = [RoundEntry(rnd, f, finding_verdict(f), f.id == finding.id) for f, rnd in rows]
    this_round = next(e.round for e in history if e.current)
    if finding.website is not None:
        name, address, code = finding.website.name, finding.website.address, finding.website.site_code
    else:
        account = finding.account
        name, address, code = f"{PLATFORMS[account.platform]}“{account.name}”", None, None
    category = db.session.get(FindingCategory, finding.category)
    return FindingFacts(finding, this_round, name, address, code,
                        category.label if category else CATEGORIES.get(finding.category, finding.category),
                        finding_verdict(finding), history)
