"""The registry page: websites, new-media accounts and their status histories."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import AccountStatusChange, NewMediaAccount, Website


def websites() -> list[Website]:
    return db.session.scalars(sa.select(Website).options(joinedload(Website.unit))
                              .order_by(Website.status.desc(), Website.name)).all()


def accounts() -> list[NewMediaAccount]:
    return db.session.scalars(sa.select(NewMediaAccount).options(joinedload(NewMediaAccount.unit))
                              .order_by(NewMediaAccount.status, NewMediaAccount.name)).all()


def histories() -> dict[int, list[AccountStatusChange]]:
    """Every account's status changes, oldest first, in one query for the registry page."""
    out: dict[int, list[AccountStatusChange]] = defaultdict(list)
    for change in db.session.scalars(sa.select(AccountStatusChange).order_by(AccountStatusChange.id)):
        out[change.account_id].append(change)
    return out
