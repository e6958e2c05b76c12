"""API tokens: issued per user, stored hashed, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflows.errors import Forbidden, NotFound

from .. import clock
from ..extensions import db
from ..models import ApiToken, User
from ..permissions import can_administer
from . import kept_users
from .tx import transaction

PREFIX = "cw_"
TOUCH_EVERY = timedelta(minutes=1)
_KEPT = "casework.api_tokens"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(actor, username: str) -> str:
    """A new token for `username`; the only time the plain token exists is this return."""
    if not can_administer(actor):
        raise Forbidden("只有管理员可以签发接口令牌。")
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"用户“{username}”不存在。")
    token = PREFIX + secrets.token_urlsafe(32)
    with transaction():
        db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token), prefix=token[:10]))
    return token


def revoke(actor, username: str) -> int:
    """Revoke every live token of `username`; returns how many."""
    if not can_administer(actor):
        raise Forbidden("只有管理员可以吊销接口令牌。")
    with transaction():
        result = db.session.execute(
            sa.update(ApiToken).where(ApiToken.revoked_at.is_(None),
                                      ApiToken.user_id == sa.select(User.id).where(
                                          User.username == username).scalar_subquery())
            .values(revoked_at=clock.now()))
    return result.rowcount


def user_for(token: str) -> User | None:
    """The active user a live token belongs to, or None.

    Each process keeps the users of the tokens it has seen (services/kept_users): a
    request reads only the counters every transaction reads, instead of loading the token
    and its user, and a revocation or deactivation, committed anywhere, is honoured at the
    next request."""
    if not token.startswith(PREFIX):
        return None
    digest = _digest(token)
    # Read the counters before the token: a change committed meanwhile raises them again.
    kept_under = kept_users.version()
    now = clock.now()
    hit = kept_users.recall(_KEPT, digest, kept_under)
    if hit is not None and now - hit[1] <= TOUCH_EVERY:
        return hit[0]
    kept_users.forget(_KEPT, digest)
    row = db.session.scalar(sa.select(ApiToken).options(joinedload(ApiToken.user))
                            .where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None)))
    if row is None or not row.user.active:
        return None
    # Touch at most once a minute: a busy integration must not write on every call. The
    # touch raises the counter, so the user is kept from the next request on.
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        with transaction():
            row.last_used_at = now
        return row.user
    kept_users.keep(_KEPT, digest, kept_under, row.user, row.last_used_at)
    return row.user
