from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import utcnow

from ..extensions import db
from .calendar import pg_version_statements, sqlite_version_statements
from .types import UTCDateTime
from .user import User


class ApiToken(db.Model):
    """A bearer token for the API. Only its SHA-256 is stored: the token is random and
    long, so a slow hash adds nothing, and a stolen database reveals no usable token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))  # shown to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


# Who a token is: a counter raised by triggers on every change to users or tokens (a
# revocation, a deactivation, a role change, also by SQL by hand), so the API's in-process
# token cache (services/tokens.py) is honoured at the next request in every process.
ACCOUNTS = "accounts"
for _table in (User.__table__, ApiToken.__table__):
    for _sql in pg_version_statements(ACCOUNTS, _table.name):
        event.listen(_table, "after_create", sa.DDL(_sql).execute_if(dialect="postgresql"))
    for _sql in sqlite_version_statements(ACCOUNTS, _table.name):
        event.listen(_table, "after_create", sa.DDL(_sql).execute_if(dialect="sqlite"))
