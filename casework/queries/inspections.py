"""The inspection pages: rounds, each site's and account's verdict, the notice's summary line."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from workflows.case_flow import answered
from workflows.errors import NotFound

from ..extensions import db
from ..models import Case, Finding, InspectionRound, NewMediaAccount, Unit, VerdictOverride, Website
from ..models.inspection import PLATFORMS, VERDICTS
from ..stats import published_percent


def _derived(cases: list[Case]) -> str:
    if any(c.state == "returned" for c in cases):
        return "fail"      # re-inspection found it still wrong
    if all(answered(c) for c in cases):
        return "pass"
    return "issues"


@dataclass
class Verdict:
    key: tuple[int | None, int | None]  # (website_id, account_id)
    name: str
    address: str | None
    unit: Unit
    findings: list[Finding]
    derived: str
    override: VerdictOverride | None

    @property
    def verdict(self) -> str:
        return self.override.verdict if self.override else self.derived

    @property
    def label(self) -> str:
        return VERDICTS[self.verdict]


def verdicts(rnd: InspectionRound) -> list[Verdict]:
    findings = db.session.scalars(sa.select(Finding).where(Finding.round_id == rnd.id).order_by(Finding.id)).all()
    overrides = {(o.website_id, o.account_id): o for o in db.session.scalars(
        sa.select(VerdictOverride).where(VerdictOverride.round_id == rnd.id))}
    groups: dict[tuple, list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.website_id, f.account_id), []).append(f)
    out = []
    for key, group in groups.items():
        first = group[0]
        name = first.website.name if first.website else f"{PLATFORMS[first.account.platform]}“{first.account.name}”"
        address = first.website.address if first.website else None
        out.append(Verdict(key, name, address, first.case.unit, group, _derived([f.case for f in group]),
                           overrides.get(key)))
    return out


def summary(rnd: InspectionRound) -> dict:
    """The notice's line: how many sites and accounts were checked, 检查率, 合格率 (a site
    with problems that are being fixed still counts as 合格; 不合格 does not)."""
    results = verdicts(rnd)
    out = {}
    for kind, registry_total, checked_setting in (
            ("websites", db.session.scalar(sa.select(sa.func.count(Website.id)).where(Website.status == "open")),
             rnd.sites_checked),
            ("accounts", db.session.scalar(sa.select(sa.func.count(NewMediaAccount.id)).where(
                NewMediaAccount.status != "deregistered")), rnd.accounts_checked)):
        mine = [v for v in results if (v.key[0] is not None) == (kind == "websites")]
        checked = checked_setting or registry_total or len(mine)
        failed = sum(v.verdict == "fail" for v in mine)
        out[kind] = {"checked": checked, "registered": registry_total, "with_findings": len(mine),
                     "failed": failed, "passed": checked - failed,
                     "check_rate": published_percent(min(checked, registry_total or checked), registry_total or checked),
                     "pass_rate": published_percent(checked - failed, checked)}
    w, a = out["websites"], out["accounts"]
    out["line"] = (f"对全市 {w['checked']} 家政府网站和 {a['checked']} 个政务新媒体进行了检查、复查，检查率 "
                   f"{w['check_rate']}，政府网站合格率 {w['pass_rate']}，政务新媒体合格率 {a['pass_rate']}。")
    return out


def round_by_id(round_id: int) -> InspectionRound:
    rnd = db.session.get(InspectionRound, round_id)
    if rnd is None:
        raise NotFound("检查轮次不存在。")
    return rnd


def rounds() -> list[InspectionRound]:
    return db.session.scalars(sa.select(InspectionRound).order_by(InspectionRound.id.desc())).all()
