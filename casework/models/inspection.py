from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import utcnow

from ..extensions import db
from .case import Case
from .site import Website
from .types import BigId, Json, UTCDateTime
from .unit import Unit

VERDICTS = {"pass": "合格", "issues": "存在问题", "fail": "不合格"}
ACCOUNT_STATUSES = {"running": "正常运行", "stopped": "停更", "deregistering": "注销中", "deregistered": "已注销"}
PLATFORMS = {"wechat": "政务微信", "weibo": "政务微博", "other": "其他"}


class NewMediaAccount(db.Model):
    """A government WeChat / Weibo account (政务新媒体) a unit runs."""

    __tablename__ = "new_media_accounts"
    __table_args__ = (sa.UniqueConstraint("platform", "name", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(sa.String(10))
    name: Mapped[str] = mapped_column(sa.String(100))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    last_update: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(16), default="running")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()


class AccountStatusChange(db.Model):
    """running → 停更 → 注销中 → 已注销, each step recorded with whether it was filed (报备)."""

    __tablename__ = "account_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("new_media_accounts.id"), index=True)
    from_status: Mapped[str] = mapped_column(sa.String(16))
    to_status: Mapped[str] = mapped_column(sa.String(16))
    filed: Mapped[bool]
    note: Mapped[str | None] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    account: Mapped[NewMediaAccount] = relationship()


class FindingCategory(db.Model):
    """The office's catalogue of problem categories."""

    __tablename__ = "finding_categories"

    code: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(50))
    active: Mapped[bool] = mapped_column(default=True)


class InspectionRound(db.Model):
    __tablename__ = "inspection_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    inspected_on: Mapped[date | None] = mapped_column(sa.Date)
    rectify_by: Mapped[date] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


MEMBER_SOURCES = {"table": "检查结果表", "list": "导入的检查名单", "picked": "从登记册选择", "all": "全部登记在册"}


class RoundMember(db.Model):
    """A site or account the round checked: those in its result tables and those checked
    without problems. 检查率 and 合格率 are counted over these, never over the registry."""

    __tablename__ = "round_members"
    # NULLs are distinct in a unique constraint: one per kind keeps each target once.
    __table_args__ = (sa.UniqueConstraint("round_id", "website_id", name="uq_round_members_website"),
                      sa.UniqueConstraint("round_id", "account_id", name="uq_round_members_account"),
                      sa.CheckConstraint("(website_id IS NULL) <> (account_id IS NULL)", name="one_target"))

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_rounds.id"), index=True)
    website_id: Mapped[int | None] = mapped_column(sa.ForeignKey("websites.id"))
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("new_media_accounts.id"))
    source: Mapped[str] = mapped_column(sa.String(10))  # MEMBER_SOURCES
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    website: Mapped[Website | None] = relationship()
    account: Mapped[NewMediaAccount | None] = relationship()

    @property
    def label(self) -> str:
        if self.website is not None:
            return f"{self.website.name}（{self.website.address}）"
        return f"{self.account.unit.name} · {PLATFORMS[self.account.platform]}“{self.account.name}”"


class Finding(db.Model):
    """What an inspection found on one site or account; its handling is the case."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, sa.ForeignKey("cases.id"), unique=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_rounds.id"), index=True)
    website_id: Mapped[int | None] = mapped_column(sa.ForeignKey("websites.id"))
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("new_media_accounts.id"))
    items: Mapped[list] = mapped_column(Json, default=list)
    category: Mapped[str] = mapped_column(sa.ForeignKey("finding_categories.code"))
    source_verdict: Mapped[str | None] = mapped_column(sa.String(16))  # as in the imported table
    # The row's cells as imported (column -> text, only outer spaces trimmed): exports
    # and the 通报 reproduce the source, not the app's normalised items.
    source_cells: Mapped[dict | None] = mapped_column(Json)

    case: Mapped[Case] = relationship()
    website: Mapped[Website | None] = relationship()
    account: Mapped[NewMediaAccount | None] = relationship()


class VerdictOverride(db.Model):
    """The reviewer's verdict for a site or account in a round, when it differs from the
    one derived from the findings; the reason is required."""

    __tablename__ = "verdict_overrides"
    __table_args__ = (sa.UniqueConstraint("round_id", "website_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_rounds.id"))
    website_id: Mapped[int | None] = mapped_column(sa.ForeignKey("websites.id"))
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("new_media_accounts.id"))
    verdict: Mapped[str] = mapped_column(sa.String(8))
    reason: Mapped[str] = mapped_column(sa.Text)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
