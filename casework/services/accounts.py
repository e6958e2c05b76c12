"""Units and user accounts."""

from __future__ import annotations

import re

from workflows.errors import Forbidden, Invalid
from workflows.vocabulary import ADMIN, OFFICE_ROLES, ROLES, SYSTEM, UNIT_KINDS, UNIT_ROLES

from ..extensions import db
from ..models import Unit, User
from .tx import transaction

_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
_UNIT_CODE = re.compile(r"^[a-z0-9_-]{2,32}$")
MIN_PASSWORD = 8


def _require_admin(actor) -> None:
    if actor.role not in (ADMIN, SYSTEM):
        raise Forbidden("只有管理员可以管理单位和账号。")


def create_unit(actor, code: str, name: str, kind: str, short_name: str | None = None,
                parent_code: str | None = None) -> Unit:
    _require_admin(actor)
    errors = {}
    if not _UNIT_CODE.match(code or ""):
        errors["code"] = "单位代码应为 2–32 位小写字母、数字、下划线或连字符。"
    if not (name or "").strip():
        errors["name"] = "请填写单位名称。"
    if kind not in UNIT_KINDS:
        errors["kind"] = "单位类别无效。"
    parent = None
    if parent_code:
        parent = db.session.scalar(db.select(Unit).where(Unit.code == parent_code))
        if parent is None:
            errors["parent_code"] = f"找不到上级单位“{parent_code}”。"
    if errors:
        raise Invalid(errors)
    with transaction():
        unit = Unit(code=code, name=name.strip(), kind=kind, short_name=short_name, parent=parent)
        db.session.add(unit)
    return unit


def create_user(actor, username: str, role: str, password: str, display_name: str | None = None,
                unit_code: str | None = None) -> User:
    _require_admin(actor)
    errors = {}
    if not _USERNAME.match(username or ""):
        errors["username"] = "用户名应为 2–64 位字母、数字、下划线、点或连字符。"
    elif db.session.scalar(db.select(User.id).where(User.username == username)):
        errors["username"] = f"用户名“{username}”已存在。"
    if role not in ROLES:
        errors["role"] = f"角色应为 {', '.join(ROLES)} 之一。"
    if len(password or "") < MIN_PASSWORD:
        errors["password"] = f"密码至少 {MIN_PASSWORD} 位。"
    unit = None
    if role in UNIT_ROLES:
        unit = db.session.scalar(db.select(Unit).where(Unit.code == unit_code)) if unit_code else None
        if unit is None:
            errors["unit"] = "单位角色必须指定一个存在的单位。"
    elif role in OFFICE_ROLES and unit_code:
        errors["unit"] = "办公室角色不属于任何承办单位。"
    if errors:
        raise Invalid(errors)
    with transaction():
        user = User(username=username, role=role, display_name=display_name or username, unit=unit)
        user.set_password(password)
        db.session.add(user)
    return user
