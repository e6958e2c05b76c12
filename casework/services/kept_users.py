"""Users kept per process between requests: every page and every API call starts by
loading its user (and a page its unit). A kept user is used only while the accounts
counter (raised by triggers on users and api_tokens) and the reference counter (units)
read in this transaction are those it was kept under, so a logout, a deactivation, a
password change, a revoked token or a renamed unit, committed in any process, is honoured
by the next request. Requests get their own session-bound copy (merge without loading);
the kept object itself is never attached or changed."""

from __future__ import annotations

from collections.abc import Hashable

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..models import Unit, User
from ..models.reference import REFERENCE
from ..models.token import ACCOUNTS
from ..reference import data_version


def version() -> tuple[int, int]:
    """What a kept user depends on, as this transaction read it."""
    return data_version(ACCOUNTS), data_version(REFERENCE)


def recall(store: str, key: Hashable, kept_under: tuple[int, int]) -> tuple[User, object] | None:
    """The user kept under `key` and what was kept with it, in this request's session."""
    hit = current_app.extensions.setdefault(store, {}).get(key)
    if hit is None or hit[0] != kept_under:
        return None
    return db.session.merge(hit[1], load=False), hit[2]


def keep(store: str, key: Hashable, kept_under: tuple[int, int], user: User, extra: object = None) -> None:
    current_app.extensions.setdefault(store, {})[key] = (kept_under, _detached_copy(user), extra)


def forget(store: str, key: Hashable) -> None:
    current_app.extensions.setdefault(store, {}).pop(key, None)


def _copy(obj):
    model = type(obj)
    copy = model(**{c.key: getattr(obj, c.key) for c in sa.inspect(model).column_attrs})
    make_transient_to_detached(copy)
    return copy


def _detached_copy(user: User) -> User:
    copy = _copy(user)
    # Loaded with the user, the unit comes with its copy (as loaded, so no change to merge).
    loaded = sa.inspect(user).dict
    if "unit" in loaded:
        set_committed_value(copy, "unit", _copy(loaded["unit"]) if isinstance(loaded["unit"], Unit) else None)
    return copy
