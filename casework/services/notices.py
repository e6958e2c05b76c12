"""The register of issued 通报 and their 文号 (安政办函〔2026〕12号): a per-year counter
proposes the next number, the office may type another (the one its 发文登记 gave), and a
number is never used twice."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from workflows.errors import Conflict, Invalid

from ..extensions import db
from ..models import Notice

NUMBER = re.compile(r"^(?P<code>[^\s〔〕\[\]［］()（）【】]+?)\s*[〔\[［(（【]\s*(?P<year>\d{4})\s*[〕\]］)）】]"
                    r"\s*第?\s*(?P<seq>\d+)\s*号$")
MESSAGE = "文号格式应为“代字〔年份〕序号号”，例如 安政办函〔2026〕12号。"


def format_number(code: str, year: int, seq: int) -> str:
    """GB/T 9704: 六角括号, 年份 in full, no 第 and no leading zeros."""
    return f"{code}〔{year}〕{seq}号"


def parse_number(text: str) -> tuple[str, int, int]:
    match = NUMBER.match((text or "").strip())
    if not match or int(match["seq"]) < 1:
        raise Invalid({"number": MESSAGE})
    return match["code"], int(match["year"]), int(match["seq"])


def propose(code: str, year: int) -> str:
    last = db.session.scalar(sa.select(sa.func.max(Notice.seq)).where(Notice.code == code, Notice.year == year))
    return format_number(code, year, (last or 0) + 1)


def register(kind: str, number: str, issued_on: date, texts: dict, *, stats_id: int | None = None,
             round_publication_id: int | None = None) -> Notice:
    """Record an issued notice; inside the caller's transaction (one with the publication)."""
    code, year, seq = parse_number(number)
    if year != issued_on.year:
        raise Invalid({"number": f"文号年份（{year}）应与成文日期的年份（{issued_on.year}）一致。"})
    text = format_number(code, year, seq)
    clash = db.session.scalar(sa.select(Notice).where(sa.or_(
        Notice.number == text, sa.and_(Notice.code == code, Notice.year == year, Notice.seq == seq))))
    if clash is not None:
        raise Conflict(f"文号 {text} 已用于 {clash.issued_on:%Y年%-m月%-d日} 印发的通报，请换一个文号。")
    notice = Notice(kind=kind, code=code, year=year, seq=seq, number=text, issued_on=issued_on, texts=texts,
                    stats_id=stats_id, round_publication_id=round_publication_id)
    db.session.add(notice)
    return notice
