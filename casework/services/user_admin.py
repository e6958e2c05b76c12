"""User administration by the office's administrator (browser and CLI alike): list,
create, change role and unit, disable, unlock, reset a password, end sessions. Every
action is one transaction with its user_events row."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflows.errors import Conflict, Invalid, NotFound
from workflows.vocabulary import OFFICE_ROLES, ROLES, UNIT_ROLES

from .. import clock
from ..extensions import db
from ..models import Unit, User, UserEvent
from . import accounts
from .tx import transaction

ACTIONS = {
    "create": "创建账号", "change_role": "调整角色/单位", "disable": "停用", "enable": "启用",
    "unlock": "解除锁定", "reset_password": "重置密码", "end_sessions": "结束全部会话",
    "change_password": "修改密码", "logout": "退出登录",
}
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def record(user: User, actor, action: str, **data) -> None:
    db.session.add(UserEvent(user_id=user.id, actor_id=getattr(actor, "id", None), action=action,
                             at=clock.now(), data=data))


def end_all(user: User) -> None:
    """Every session cookie issued so far stops working (the caller commits)."""
    user.session_version = (user.session_version or 1) + 1


def users() -> list[User]:
    return db.session.scalars(sa.select(User).options(joinedload(User.unit))
                              .order_by(User.role, User.username)).all()


def get(username: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.username == (username or "").strip()))
    if user is None:
        raise NotFound(f"用户“{username}”不存在。")
    return user


def events(user: User, limit: int = 50) -> list[UserEvent]:
    return db.session.scalars(sa.select(UserEvent).options(joinedload(UserEvent.actor))
                              .where(UserEvent.user_id == user.id)
                              .order_by(UserEvent.id.desc()).limit(limit)).all()


def _not_self(actor, user: User, what: str) -> None:
    # An administrator who disables or demotes themselves may leave nobody to undo it.
    if getattr(actor, "id", None) == user.id:
        raise Conflict(f"不能{what}自己的账号，请由另一位管理员操作。")


def create(actor, username: str, role: str, password: str, display_name: str | None = None,
           unit_code: str | None = None, must_change: bool = True) -> User:
    with transaction():
        user = accounts.create_user(actor, username, role, password, display_name=display_name,
                                    unit_code=unit_code)
        user.must_change_password = must_change
        db.session.flush()
        record(user, actor, "create", role=role, unit=unit_code)
    return user


def change_role(actor, username: str, role: str, unit_code: str | None) -> User:
    accounts._require_admin(actor)
    unit_code = (unit_code or "").strip() or None
    with transaction():
        user = get(username)
        _not_self(actor, user, "调整")
        errors = {}
        if role not in ROLES:
            errors["role"] = f"角色应为 {', '.join(ROLES)} 之一。"
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == unit_code)) if unit_code else None
        if role in UNIT_ROLES and unit is None:
            errors["unit"] = "单位角色必须指定一个存在的单位。"
        elif role in OFFICE_ROLES and unit_code:
            errors["unit"] = "办公室角色不属于任何承办单位。"
        if errors:
            raise Invalid(errors)
        before = {"role": user.role, "unit": user.unit.code if user.unit else None}
        user.role, user.unit = role, unit
        end_all(user)  # what the old sessions may see has changed
        record(user, actor, "change_role", before=before, after={"role": role, "unit": unit_code})
    return user


def set_active(actor, username: str, active: bool) -> User:
    accounts._require_admin(actor)
    with transaction():
        user = get(username)
        if not active:
            _not_self(actor, user, "停用")
        user.active = active
        if not active:
            end_all(user)
        record(user, actor, "enable" if active else "disable")
    return user


def unlock(actor, username: str) -> User:
    accounts._require_admin(actor)
    with transaction():
        user = get(username)
        user.failed_logins, user.locked_until = 0, None
        record(user, actor, "unlock")
    return user


def reset_password(actor, username: str, password: str | None = None) -> tuple[User, str]:
    """A new password (given, or generated and returned once) that the user must change
    at the next sign-in; every session of the user ends."""
    accounts._require_admin(actor)
    password = password or "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(12))
    if len(password) < accounts.MIN_PASSWORD:
        raise Invalid({"password": f"密码至少 {accounts.MIN_PASSWORD} 位。"})
    with transaction():
        user = get(username)
        user.set_password(password)
        user.must_change_password = True
        user.failed_logins, user.locked_until = 0, None
        end_all(user)
        record(user, actor, "reset_password")
    return user, password


def end_sessions(actor, username: str) -> User:
    accounts._require_admin(actor)
    with transaction():
        user = get(username)
        end_all(user)
        record(user, actor, "end_sessions")
    return user


def change_own_password(user: User, current: str, new: str, confirm: str) -> User:
    errors = {}
    if not user.check_password(current or ""):
        errors["current"] = "当前密码不正确。"
    if len(new or "") < accounts.MIN_PASSWORD:
        errors["new"] = f"新密码至少 {accounts.MIN_PASSWORD} 位。"
    elif new == current:
        errors["new"] = "新密码不能与当前密码相同。"
    elif new != confirm:
        errors["confirm"] = "两次输入的新密码不一致。"
    if errors:
        raise Invalid(errors)
    with transaction():
        user.set_password(new)
        user.must_change_password = False
        end_all(user)  # the caller signs this browser in again with the new version
        record(user, user, "change_password")
    return user


def signed_out(user: User) -> None:
    with transaction():
        end_all(user)
        record(user, user, "logout")
