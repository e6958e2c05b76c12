"""The registry page: websites, new-media accounts and their status histories."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import AccountStatusChange, NewMediaAccount, Website, WebsiteStatusChange


def websites() -> list[Website]:
    # By name only: a row stays where it was when its site is closed or reopened (sorting
    # by status moved rows under the pointer, and a second click hit another site).
    return db.session.scalars(sa.select(Website).options(joinedload(Website.unit))
                              .order_by(Website.name, Website.id)).all()


def accounts() -> list[NewMediaAccount]:
    return db.session.scalars(sa.select(NewMediaAccount).options(joinedload(NewMediaAccount.unit))
                              .order_by(NewMediaAccount.name, NewMediaAccount.id)).all()


def histories() -> dict[int, list[AccountStatusChange]]:
    """Every account's status changes, oldest first, in one query for the registry page."""
    out: dict[int, list[AccountStatusChange]] = defaultdict(list)
    for change in db.session.scalars(sa.select(AccountStatusChange).order_by(AccountStatusChange.id)):
        out[change.account_id].append(change)
    return out


def website_changes() -> dict[int, WebsiteStatusChange]:
    """The latest status change of each site that has one (why it is closed)."""
    out: dict[int, WebsiteStatusChange] = {}
    for change in db.session.scalars(sa.select(WebsiteStatusChange).order_by(WebsiteStatusChange.id)):
        out[change.website_id] = change
    return out
