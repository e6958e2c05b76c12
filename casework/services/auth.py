"""Signing in, with a lock after repeated failures."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from workflows.errors import DomainError

from .. import clock
from ..extensions import db
from ..models import User
from .tx import transaction

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)


class LoginFailed(DomainError):
    code = "login_failed"


def authenticate(username: str, password: str) -> User:
    """The user, or LoginFailed with a message that does not reveal whether the
    username exists (except that a locked account says it is locked)."""
    now = clock.now()
    user = db.session.scalar(sa.select(User).where(User.username == (username or "").strip()))
    if user is None or not user.active:
        raise LoginFailed("用户名或密码错误。")
    if user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise LoginFailed(f"连续登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试或联系管理员。")
    if not user.check_password(password or ""):
        with transaction():
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.failed_logins = 0
                user.locked_until = now + LOCK_FOR
        raise LoginFailed("用户名或密码错误。")
    if user.failed_logins or user.locked_until:
        with transaction():
            user.failed_logins = 0
            user.locked_until = None
    return user
