"""What an inspection round found and what it checked, in one place: the verdict of every
site and account, the notice's summary line, and the snapshot the round page, /stats, the
API, the 通报 and the exports are all rendered from (so their figures always agree).

Verdict of a finding: the 复查结果 recorded in the imported table, until a re-inspection in
the app (the reviewer accepting or returning the unit's rectification report) replaces it;
without either, 存在问题. A site's verdict is its worst finding's; a reviewer's override
(with its reason) beats both. 合格率 counts 存在问题 as passing and 不合格 as failing, over
the round's members, as the 2020 notice did (46 of 50 → 92%).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from workflows.errors import NotFound

from ..extensions import db
from ..importing import CATEGORIES, category_of
from ..models import (
    Case,
    Finding,
    FindingCategory,
    InspectionRound,
    NewMediaAccount,
    Notice,
    RoundMember,
    RoundPublication,
    Unit,
    VerdictOverride,
    Website,
)
from ..models.inspection import PLATFORMS, VERDICTS
from ..stats import published_percent
from .public_stats import notice_for_round

WORST = ("pass", "issues", "fail")


def reinspected(finding: Finding) -> str | None:
    """The latest re-inspection in the app: "pass" (accepted), "fail" (returned) or None."""
    case = finding.case
    if case.state == "reviewed" or (case.state == "closed" and case.close_reason == "accepted"):
        return "pass"
    if case.return_count:
        return "fail"  # returned, and not accepted since
    return None


def finding_verdict(finding: Finding) -> str:
    return reinspected(finding) or finding.source_verdict or "issues"


@dataclass
class Verdict:
    key: tuple[int | None, int | None]  # (website_id, account_id)
    name: str
    address: str | None
    unit: Unit
    findings: list[Finding]
    derived: str
    override: object | None

    @property
    def verdict(self) -> str:
        return self.override.verdict if self.override else self.derived

    @property
    def label(self) -> str:
        return VERDICTS[self.verdict]

    @property
    def basis(self) -> str:
        """Where the verdict comes from, for the round page."""
        if self.override:
            return "改判"
        if any(reinspected(f) for f in self.findings):
            return "系统内复查"
        return "导入的复查结果" if self.recorded else "待复查"

    @property
    def recorded(self) -> str | None:
        """The 复查结果 of the imported table (the worst, if several rows)."""
        found = [f.source_verdict for f in self.findings if f.source_verdict]
        return max(found, key=WORST.index) if found else None


def verdicts(rnd: InspectionRound) -> list[Verdict]:
    findings = db.session.scalars(
        sa.select(Finding).where(Finding.round_id == rnd.id).order_by(Finding.id)
        .options(joinedload(Finding.case).joinedload(Case.unit), joinedload(Finding.website),
                 joinedload(Finding.account))).all()
    overrides = {(o.website_id, o.account_id): o for o in db.session.scalars(
        sa.select(VerdictOverride).where(VerdictOverride.round_id == rnd.id))}
    groups: dict[tuple, list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.website_id, f.account_id), []).append(f)
    out = []
    for key, group in groups.items():
        first = group[0]
        name = first.website.name if first.website else f"{PLATFORMS[first.account.platform]}“{first.account.name}”"
        derived = max((finding_verdict(f) for f in group), key=WORST.index)
        out.append(Verdict(key, name, first.website.address if first.website else None, first.case.unit, group,
                           derived, overrides.get(key)))
    return out


def member_ids(rnd: InspectionRound) -> tuple[set[int], set[int]]:
    rows = db.session.execute(sa.select(RoundMember.website_id, RoundMember.account_id)
                              .where(RoundMember.round_id == rnd.id)).all()
    return {w for w, _ in rows if w is not None}, {a for _, a in rows if a is not None}


def _registered(model, open_filter, members: set[int]) -> int:
    """What could have been checked: what is registered and open, plus any member closed
    since (it was registered when it was checked)."""
    where = sa.or_(open_filter, model.id.in_(members)) if members else open_filter
    return db.session.scalar(sa.select(sa.func.count(model.id)).where(where))


def summary(rnd: InspectionRound, results: list[Verdict] | None = None) -> dict:
    results = verdicts(rnd) if results is None else results
    sites, accounts = member_ids(rnd)
    sites |= {v.key[0] for v in results if v.key[0] is not None}
    accounts |= {v.key[1] for v in results if v.key[1] is not None}
    out = {}
    for kind, members, registered in (
            ("websites", sites, _registered(Website, Website.status == "open", sites)),
            ("accounts", accounts, _registered(NewMediaAccount, NewMediaAccount.status != "deregistered", accounts))):
        failed = sum(v.verdict == "fail" for v in results if v.key[0 if kind == "websites" else 1] is not None)
        checked = len(members)
        out[kind] = {"checked": checked, "registered": registered, "failed": failed, "passed": checked - failed,
                     "with_findings": sum(1 for v in results if v.key[0 if kind == "websites" else 1] is not None),
                     "check_rate": published_percent(checked, registered),
                     "pass_rate": published_percent(checked - failed, checked)}
    w, a = out["websites"], out["accounts"]
    # Over the kinds the round inspected: a round of websites only says nothing of accounts.
    kinds = [k for k in (w, a) if k["checked"]] or [w, a]
    out["check_rate"] = published_percent(sum(k["checked"] for k in kinds), sum(k["registered"] for k in kinds))
    out["line"] = summary_line(w, a, out["check_rate"])
    return out


def summary_line(w: dict, a: dict, check_rate: str) -> str:
    """The sentence of the notice's 一、总体情况, written as the seeds write it."""
    if not w["checked"] and not a["checked"]:
        return "本轮尚未登记检查对象。"
    what = "和".join(part for part in (f"{w['checked']}家政府网站" if w["checked"] else "",
                                      f"{a['checked']}个政务新媒体" if a["checked"] else "") if part)
    rates = "，".join(part for part in (f"政府网站合格率{w['pass_rate']}" if w["checked"] else "",
                                       f"政务新媒体合格率{a['pass_rate']}" if a["checked"] else "") if part)
    return f"对全市{what}进行了检查、复查，检查率{check_rate}，{rates}。"


def _group_of(unit: Unit) -> str:
    """类别 of 附件 2 when the table gave none: the county, or 市直部门."""
    if unit.parent is not None:
        return unit.parent.short_name or unit.parent.name
    return (unit.short_name or unit.name) if unit.kind == "county" else "市直部门"


def _month_before(day: date) -> date:
    return date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, min(day.day, 28))


def snapshot(rnd: InspectionRound) -> dict:
    """Everything the round's documents show, as plain data (published versions store it)."""
    results = verdicts(rnd)
    labels = {c.code: c.label for c in db.session.scalars(sa.select(FindingCategory))} or dict(CATEGORIES)
    checked_on = rnd.inspected_on or rnd.rectify_by
    sites, accounts = [], []
    for v in results:
        cats = list(dict.fromkeys(category_of([item]) for f in v.findings for item in f.items))
        base = {"unit": v.unit.name, "verdict": v.verdict, "verdict_label": v.label, "categories": cats}
        if v.key[0] is not None:
            site, cells = v.findings[0].website, v.findings[0].source_cells or {}
            sites.append(base | {
                "name": cells.get("网站名称") or site.name, "address": cells.get("网址") or site.address,
                "site_code": cells.get("网站标识码") or site.site_code or "",
                "problems": "；".join(f.source_cells.get("主要问题", "") if f.source_cells else "；".join(f.items)
                                     for f in v.findings)})
            continue
        account, cells = v.findings[0].account, v.findings[0].source_cells or {}
        stale = "zombie_account" in cats or account.last_update is None or account.last_update < _month_before(checked_on)
        accounts.append(base | {
            "group": cells.get("类别") or _group_of(v.unit), "unit_source": cells.get("主办单位") or v.unit.name,
            "platform": account.platform, "account": account.name,
            "last_update": cells.get("最后更新时间") or (f"{account.last_update:%Y. %-m. %-d}" if account.last_update else "无内容"),
            "problems": "；".join(f.source_cells.get("问题类别", "") if f.source_cells else "；".join(f.items)
                                 for f in v.findings), "stale": stale})
    for number, row in enumerate(sites, 1):
        row["no"] = number
    for number, row in enumerate(accounts, 1):
        row["no"] = number
    return {"round": {"id": rnd.id, "name": rnd.name, "inspected_on": rnd.inspected_on and rnd.inspected_on.isoformat(),
                      "rectify_by": rnd.rectify_by.isoformat()},
            "summary": summary(rnd, results), "sites": sites, "accounts": accounts, "category_labels": labels}


def round_by_id(round_id: int) -> InspectionRound:
    rnd = db.session.get(InspectionRound, round_id)
    if rnd is None:
        raise NotFound("检查轮次不存在。")
    return rnd


def rounds() -> list[InspectionRound]:
    return db.session.scalars(sa.select(InspectionRound).order_by(InspectionRound.id.desc())).all()


def publications(round_id: int) -> list[RoundPublication]:
    """Every version of the round's 通报, first to last."""
    return db.session.scalars(sa.select(RoundPublication).where(RoundPublication.round_id == round_id)
                              .order_by(RoundPublication.version)).all()


def publication(round_id: int, number: int) -> tuple[RoundPublication, Notice | None]:
    row = db.session.scalar(sa.select(RoundPublication).where(RoundPublication.round_id == round_id,
                                                               RoundPublication.version == number))
    if row is None:
        raise NotFound("该检查轮次的这一版通报不存在。")
    return row, notice_for_round(row.id)


def members(round_id: int) -> list[RoundMember]:
    """What the round checks, as the round page lists it."""
    return db.session.scalars(sa.select(RoundMember).where(RoundMember.round_id == round_id)
                              .options(selectinload(RoundMember.website),
                                       selectinload(RoundMember.account).selectinload(NewMediaAccount.unit))
                              .order_by(RoundMember.id)).all()
