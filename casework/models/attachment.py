from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from workflows.clock import utcnow

from ..extensions import db
from .types import BigId, UTCDateTime


class Attachment(db.Model):
    """A file on a case: the citizen's letter attachment or a unit's evidence.

    Kept in the database so that a case and its files commit, back up and move together;
    sizes are capped where files are accepted."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, sa.ForeignKey("cases.id"), index=True)
    reply_id: Mapped[int | None] = mapped_column(BigId, sa.ForeignKey("replies.id"))
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary, nullable=False))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reply = relationship("Reply")
