"""What a round checked. The sites and accounts of its result tables join it on import;
those checked without problems are added here: imported as a list, picked in the
registry, or "all registered". 检查率 and 合格率 are counted over these members."""

from __future__ import annotations

import sqlalchemy as sa

from workflows.errors import Conflict, Invalid, NotFound

from ..extensions import db
from ..importing import parse_list
from ..models import Finding, InspectionRound, NewMediaAccount, RoundMember, Website
from .inspections import Registry, require_office
from .tx import transaction


def _round(round_id: int) -> InspectionRound:
    rnd = db.session.get(InspectionRound, round_id)
    if rnd is None:
        raise NotFound("检查轮次不存在。")
    return rnd


def _add(rnd: InspectionRound, source: str, websites: set[int], accounts: set[int]) -> int:
    have = db.session.execute(sa.select(RoundMember.website_id, RoundMember.account_id)
                              .where(RoundMember.round_id == rnd.id)).all()
    websites -= {w for w, _ in have if w is not None}
    accounts -= {a for _, a in have if a is not None}
    db.session.add_all([RoundMember(round_id=rnd.id, website_id=w, source=source) for w in sorted(websites)] +
                       [RoundMember(round_id=rnd.id, account_id=a, source=source) for a in sorted(accounts)])
    return len(websites) + len(accounts)


def add_list(actor, round_id: int, content: bytes, filename: str) -> int:
    """A list of registered sites (网站名称 / 网址 / 网站标识码) or accounts (主办单位 +
    政务微信 / 政务微博) checked without problems. All rows or none: a row that matches
    nothing in the registry, or more than one thing, is an error."""
    require_office(actor)
    rows = parse_list(content, filename)
    registry, websites, accounts, errors = Registry(), set(), set(), []
    for row in rows:
        if row.errors:
            errors.append(f"第 {row.line} 行：{'，'.join(row.errors)}")
        elif row.kind == "website":
            site, hits = registry.site(row)
            if site is None:
                errors.append(f"第 {row.line} 行：" + (f"“{row.site_name}”匹配到多个网站，请写明网址。" if hits
                                                     else f"网站“{row.site_name or row.address}”未登记。"))
            else:
                websites.add(site.id)
        else:
            units = registry.unit(row.unit_name)
            account = registry.account(row, units[0]) if len(units) == 1 else None
            if account is None:
                errors.append(f"第 {row.line} 行：{row.unit_name}的账号“{row.account_name}”未登记。")
            else:
                accounts.add(account.id)
    if errors:
        raise Invalid({"file": f"有 {len(errors)} 行无法加入，未写入任何数据。" + "；".join(errors[:20])})
    with transaction():
        return _add(_round(round_id), "list", websites, accounts)


def add_picked(actor, round_id: int, website_ids: list[int], account_ids: list[int]) -> int:
    require_office(actor)
    with transaction():
        rnd = _round(round_id)
        found_w = set(db.session.scalars(sa.select(Website.id).where(Website.id.in_(website_ids))))
        found_a = set(db.session.scalars(sa.select(NewMediaAccount.id).where(NewMediaAccount.id.in_(account_ids))))
        if found_w != set(website_ids) or found_a != set(account_ids):
            raise NotFound("所选网站或账号不存在。")
        return _add(rnd, "picked", found_w, found_a)


def add_all_registered(actor, round_id: int) -> int:
    """Every open site and every account not deregistered: "检查率 100%"."""
    require_office(actor)
    with transaction():
        rnd = _round(round_id)
        websites = set(db.session.scalars(sa.select(Website.id).where(Website.status == "open")))
        accounts = set(db.session.scalars(sa.select(NewMediaAccount.id)
                                          .where(NewMediaAccount.status != "deregistered")))
        return _add(rnd, "all", websites, accounts)


def remove(actor, round_id: int, website_id: int | None, account_id: int | None) -> None:
    """Take back a site or account added by mistake; one with findings stays (its
    findings say it was checked)."""
    require_office(actor)
    with transaction():
        target = (RoundMember.website_id == website_id) if website_id else (RoundMember.account_id == account_id)
        member = db.session.scalar(sa.select(RoundMember).where(RoundMember.round_id == round_id, target))
        if member is None:
            raise NotFound("该网站或账号不在本轮检查范围内。")
        found = (Finding.website_id == website_id) if website_id else (Finding.account_id == account_id)
        if db.session.scalar(sa.select(Finding.id).where(Finding.round_id == round_id, found).limit(1)):
            raise Conflict("该网站或账号在本轮有检查发现，不能移出检查范围。")
        db.session.delete(member)
