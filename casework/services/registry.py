"""The registry of what is inspected: websites and new-media accounts."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from workflows.errors import Conflict, Invalid, NotFound

from .. import clock
from ..extensions import db
from ..models import AccountStatusChange, NewMediaAccount, Unit, Website, WebsiteStatusChange
from ..models.inspection import ACCOUNT_STATUSES, PLATFORMS
from .inspections import require_office
from .tx import transaction

# 停更 needs a published notice; an account can resume, or go on to deregistration.
TRANSITIONS = {"running": ("stopped", "deregistering"), "stopped": ("running", "deregistering"),
               "deregistering": ("deregistered", "running"), "deregistered": ()}


def _unit(code: str) -> Unit:
    unit = db.session.scalar(sa.select(Unit).where(Unit.code == (code or "").strip()))
    if unit is None:
        raise Invalid({"unit_code": "请选择主办单位。"})
    return unit


def add_website(actor, name: str, address: str, site_code: str, unit_code: str) -> Website:
    require_office(actor)
    address = re.sub(r"^https?://", "", (address or "").strip().lower()).rstrip("/")
    errors = {}
    if not (name or "").strip():
        errors["name"] = "请填写网站名称。"
    if not re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}(/\S*)?", address):
        errors["address"] = "网址格式不正确，如 www.example.gov.cn。"
    if site_code and not re.fullmatch(r"\d{10}", site_code.strip()):
        errors["site_code"] = "网站标识码应为 10 位数字。"
    if errors:
        raise Invalid(errors)
    with transaction():
        site = Website(name=name.strip(), address=address, site_code=site_code.strip() or None,
                       unit=_unit(unit_code))
        db.session.add(site)
    return site


WEBSITE_STATUSES = {"open": "运行", "closed": "已关停"}


def set_website_status(actor, website_id: int, status: str, reason: str = "") -> Website:
    """Close (关停, a reason required) or reopen a site, recorded with who and why. Asking for
    the status it already has is a conflict: a second click on a stale page changes nothing."""
    require_office(actor)
    if status not in WEBSITE_STATUSES:
        raise Invalid({"status": "状态应为 open 或 closed。"})
    reason = (reason or "").strip()
    with transaction():
        site = db.session.get(Website, website_id)
        if site is None:
            raise NotFound("网站不存在。")
        if site.status == status:
            raise Conflict(f"网站“{site.name}”（{site.address}）已是“{WEBSITE_STATUSES[status]}”状态，未作更改。")
        if status == "closed" and not reason:
            raise Invalid({"reason": f"关停“{site.name}”须填写关停原因（如已整合至其他网站、主办单位撤销）。"})
        db.session.add(WebsiteStatusChange(website_id=site.id, from_status=site.status, to_status=status,
                                           reason=reason or None, at=clock.now(), by_id=getattr(actor, "id", None)))
        site.status = status
    return site


def add_account(actor, platform: str, name: str, unit_code: str, last_update: date | None = None) -> NewMediaAccount:
    require_office(actor)
    if platform not in PLATFORMS:
        raise Invalid({"platform": "请选择平台。"})
    if not (name or "").strip():
        raise Invalid({"name": "请填写账号名称。"})
    with transaction():
        account = NewMediaAccount(platform=platform, name=name.strip(), unit=_unit(unit_code), last_update=last_update)
        db.session.add(account)
    return account


def change_account_status(actor, account_id: int, to_status: str, filed: bool, note: str = "") -> AccountStatusChange:
    """Move an account along its lifecycle; every step records whether it was filed (报备)."""
    require_office(actor)
    with transaction():
        account = db.session.get(NewMediaAccount, account_id)
        if account is None:
            raise NotFound("账号不存在。")
        if to_status not in TRANSITIONS[account.status]:
            raise Conflict(f"账号当前为“{ACCOUNT_STATUSES[account.status]}”，不能改为“{ACCOUNT_STATUSES.get(to_status, to_status)}”。")
        if to_status == "stopped" and not (note or "").strip():
            raise Invalid({"note": "停更须发布停更公告，请填写公告说明。"})
        if to_status == "deregistering" and not (note or "").strip():
            raise Invalid({"note": f"注销“{account.name}”须说明原因（如账号整合、主办单位撤销）。"})
        change = AccountStatusChange(account_id=account.id, from_status=account.status, to_status=to_status,
                                     filed=filed, note=(note or "").strip() or None, at=clock.now(),
                                     by_id=getattr(actor, "id", None))
        account.status = to_status
        db.session.add(change)
    return change


def account_label(account: NewMediaAccount) -> str:
    return f"{PLATFORMS[account.platform]}“{account.name}”"
