"""Inspection rounds and their findings: import with preview, all-or-nothing commit,
the reviewer's verdict overrides. What a round checked is in round_members.py, its
verdicts and figures in queries/rounds.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from workflows.clock import local_date
from workflows.errors import Forbidden, Invalid, NotFound
from workflows.vocabulary import ADMIN, REVIEWER, SYSTEM

from .. import clock
from ..extensions import db
from ..importing import CATEGORIES, Row, parse, same_name
from ..models import (
    Finding,
    FindingCategory,
    InspectionRound,
    NewMediaAccount,
    RoundMember,
    Unit,
    VerdictOverride,
    Website,
)
from ..models.inspection import PLATFORMS, VERDICTS
from . import intake
from .numbering import reserve
from .tx import transaction


def require_office(actor) -> None:
    if actor.role not in (ADMIN, REVIEWER, SYSTEM):
        raise Forbidden("只有电子政务办公室可以管理检查和整改。")


def ensure_categories() -> None:
    known = set(db.session.scalars(sa.select(FindingCategory.code)))
    missing = [FindingCategory(code=c, label=label) for c, label in CATEGORIES.items() if c not in known]
    if missing:
        with transaction():
            db.session.add_all(missing)


def categories() -> list[FindingCategory]:
    return db.session.scalars(sa.select(FindingCategory).order_by(FindingCategory.code)).all()


def set_category(actor, code: str, label: str, active: bool = True) -> FindingCategory:
    require_office(actor)
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,31}", code or "") or not (label or "").strip():
        raise Invalid({"code": "代码应为小写字母、数字和下划线；名称不能为空。"})
    with transaction():
        row = db.session.get(FindingCategory, code) or FindingCategory(code=code)
        row.label, row.active = label.strip()[:50], active
        db.session.add(row)
    return row


class Registry:
    """Sites, accounts and units, loaded once per import, matched by address, 标识码 or
    full/short name (names compared without spaces and punctuation width)."""

    def __init__(self):
        self.sites = db.session.scalars(sa.select(Website)).all()
        self.units = db.session.scalars(sa.select(Unit).where(Unit.active)).all()
        self.accounts = db.session.scalars(sa.select(NewMediaAccount)).all()
        self.by_key = {("address", s.address.lower()): s for s in self.sites} | \
            {("site_code", s.site_code): s for s in self.sites if s.site_code}

    def site(self, row: Row) -> tuple[Website | None, list[Website]]:
        for key, value in (("address", row.address), ("site_code", row.site_code)):
            if value and (hit := self.by_key.get((key, value))):
                return hit, [hit]
        hits = [s for s in self.sites if row.site_name and same_name(s.name, row.site_name)]
        return (hits[0] if len(hits) == 1 else None), hits

    def unit(self, name: str | None) -> list[Unit]:
        if not name:
            return []
        return [u for u in self.units if same_name(u.name, name) or (u.short_name and same_name(u.short_name, name))
                or same_name(u.name, "安康" + name)]

    def account(self, row: Row, unit: Unit) -> NewMediaAccount | None:
        return next((a for a in self.accounts if a.platform == row.platform and a.unit_id == unit.id
                     and same_name(a.name, row.account_name)), None)


@dataclass
class Resolved:
    row: Row
    unit: Unit | None = None
    site: Website | None = None
    account: NewMediaAccount | None = None
    creates: str | None = None  # "website" | "account": a new registry entry on commit

    def to_json(self) -> dict:
        return self.row.to_json() | {
            "unit": {"code": self.unit.code, "name": self.unit.name} if self.unit else None,
            "site": self.site.address if self.site else (self.row.address if self.creates == "website" else None),
            "account": self.row.account_name if self.row.kind == "account" else None,
            "creates": self.creates, "category_label": CATEGORIES.get(self.row.category)}


def preview(content: bytes, filename: str) -> list[Resolved]:
    registry, out = Registry(), []
    for row in parse(content, filename):
        resolved = Resolved(row)
        if row.errors:
            out.append(resolved)
            continue
        if row.kind == "website":
            site, hits = registry.site(row)
            if len(hits) > 1 and site is None:
                row.errors.append(f"“{row.site_name}”匹配到多个网站，请在表中写明网址。")
            elif site:
                resolved.site, resolved.unit = site, site.unit
            else:
                units = registry.unit(row.site_name)
                if len(units) == 1 and row.address:
                    resolved.unit, resolved.creates = units[0], "website"
                    row.warnings.append(f"网站 {row.address} 尚未登记，导入时将登记到“{units[0].name}”名下。")
                else:
                    row.errors.append(f"找不到网站“{row.site_name or row.address}”及其主办单位。")
        else:
            units = registry.unit(row.unit_name)
            if len(units) != 1:
                row.errors.append(f"主办单位“{row.unit_name}”" + ("匹配到多个单位。" if units else "不存在。"))
            else:
                resolved.unit = units[0]
                resolved.account = registry.account(row, units[0])
                if resolved.account is None:
                    resolved.creates = "account"
        out.append(resolved)
    return out


def _round_named(name: str, deadline: date, inspected_on: date | None) -> InspectionRound:
    rnd = db.session.scalar(sa.select(InspectionRound).where(InspectionRound.name == name))
    if rnd is None:
        rnd = InspectionRound(name=name, rectify_by=deadline, inspected_on=inspected_on)
        db.session.add(rnd)
        db.session.flush()
    return rnd


def create_round(actor, name: str, deadline: date, inspected_on: date | None = None) -> InspectionRound:
    """A round without a result table yet (a quarter may find no problem at all)."""
    require_office(actor)
    name = (name or "").strip()
    if not name:
        raise Invalid({"round": "请填写检查轮次名称。"})
    with transaction():
        if db.session.scalar(sa.select(InspectionRound.id).where(InspectionRound.name == name)):
            raise Invalid({"round": f"检查轮次“{name}”已存在。"})
        return _round_named(name, deadline, inspected_on)


def commit(actor, content: bytes, filename: str, round_name: str, deadline: date,
           inspected_on: date | None = None, progress=None) -> tuple[InspectionRound, int]:
    """Create the findings of a whole table, or none of them; every site and account in it
    becomes one the round checked. `progress(done, total)` is called as rows are created
    (the import job reports it to the browser)."""
    require_office(actor)
    if not (round_name or "").strip():
        raise Invalid({"round": "请填写检查轮次名称。"})
    rows = preview(content, filename)
    bad = [r.row for r in rows if r.row.errors]
    if bad:
        lines = "；".join(f"第 {r.line} 行：{'，'.join(r.errors)}" for r in bad[:20])
        raise Invalid({"file": f"有 {len(bad)} 行无法导入，未写入任何数据。{lines}"})
    ensure_categories()
    with transaction():
        rnd = _round_named(round_name.strip(), deadline, inspected_on)
        members = _members(rnd)
        numbers = reserve("finding", local_date(clock.now()).year, len(rows))
        # Flushing on every query would walk the whole growing session each time (quadratic
        # for a big table): flush in batches instead.
        with db.session.no_autoflush:
            for done, (r, number) in enumerate(zip(rows, numbers, strict=True), 1):
                finding = _create_finding(actor, rnd, r, deadline, number)
                _add_member(rnd, members, finding)
                if done % 200 == 0:
                    db.session.flush()
                if progress and (done % 20 == 0 or done == len(rows)):
                    progress(done, len(rows))
    return rnd, len(rows)


def _create_finding(actor, rnd: InspectionRound, r: Resolved, deadline: date, number: str) -> Finding:
    row = r.row
    if r.creates == "website":
        r.site = Website(name=row.site_name or row.address, address=row.address, site_code=row.site_code, unit=r.unit)
        db.session.add(r.site)
    elif r.creates == "account":
        r.account = NewMediaAccount(platform=row.platform, name=row.account_name, unit=r.unit,
                                    last_update=row.last_update)
        db.session.add(r.account)
    elif r.account is not None and row.last_update:
        r.account.last_update = row.last_update
    target = r.site.name if r.site else f"{PLATFORMS[row.platform]}“{row.account_name}”"
    case = intake.register_finding(actor, {
        "subject": f"{target}：{CATEGORIES[row.category]}" + ("等问题" if len(row.items) > 1 else ""),
        "body": "\n".join(row.items), "unit_code": r.unit.code, "rectify_by": deadline}, number)
    finding = Finding(case=case, round_id=rnd.id, website=r.site, account=r.account, items=row.items,
                      category=row.category, source_verdict=row.verdict, source_cells=row.source)
    db.session.add(finding)
    return finding


def _members(rnd: InspectionRound) -> set[tuple[str, int]]:
    return {("w", w) if w is not None else ("a", a) for w, a in db.session.execute(
        sa.select(RoundMember.website_id, RoundMember.account_id).where(RoundMember.round_id == rnd.id))}


def _add_member(rnd: InspectionRound, members: set, finding: Finding) -> None:
    target = finding.website or finding.account
    if target.id is None:
        db.session.flush()  # a site or account registered by this import
    key = ("w", target.id) if finding.website else ("a", target.id)
    if key not in members:
        members.add(key)
        db.session.add(RoundMember(round_id=rnd.id, source="table",
                                   website_id=target.id if key[0] == "w" else None,
                                   account_id=target.id if key[0] == "a" else None))


def override(actor, round_id: int, website_id: int | None, account_id: int | None, verdict: str,
             reason: str) -> VerdictOverride:
    require_office(actor)
    if verdict not in VERDICTS:
        raise Invalid({"verdict": "结论应为 合格、存在问题 或 不合格。"})
    if not (reason or "").strip():
        raise Invalid({"reason": "改判须说明理由。"})
    with transaction():
        if db.session.get(InspectionRound, round_id) is None:
            raise NotFound("检查轮次不存在。")
        row = db.session.scalar(sa.select(VerdictOverride).where(
            VerdictOverride.round_id == round_id, VerdictOverride.website_id.is_not_distinct_from(website_id),
            VerdictOverride.account_id.is_not_distinct_from(account_id)))
        row = row or VerdictOverride(round_id=round_id, website_id=website_id, account_id=account_id)
        row.verdict, row.reason, row.by_id, row.at = verdict, reason.strip(), getattr(actor, "id", None), clock.now()
        db.session.add(row)
    return row
