"""Issuing a round's 通报: its figures and result tables frozen as a version, with its 文号,
成文日期 and the office's 导语 and 工作要求, in one transaction. /stats shows the latest
published version; a correction is a new version with a note. What was issued is read in
queries/rounds.py and queries/public_stats.py."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import current_app

from workflows.clock import local_date
from workflows.errors import Conflict, Invalid, NotFound

from .. import clock
from ..documents import texts
from ..extensions import db
from ..models import InspectionRound, RoundPublication
from ..queries import rounds as round_reads
from . import notices
from .inspections import require_office
from .tx import transaction


def defaults(rnd: InspectionRound) -> dict:
    """What the publish form starts from."""
    config = current_app.config
    today = local_date(clock.now())
    return {"number": notices.propose(config["NOTICE_CODE"], today.year), "issued_on": today,
            "intro": texts.quarterly_intro(config["NOTICE_OFFICE"], rnd.name),
            "requirements": texts.quarterly_requirements(rnd.rectify_by)}


def publish(actor, round_id: int, number: str | None = None, issued_on: date | None = None,
            intro: str | None = None, requirements: str | None = None, note: str | None = None) -> RoundPublication:
    require_office(actor)
    rnd = db.session.get(InspectionRound, round_id)
    if rnd is None:
        raise NotFound("检查轮次不存在。")
    start = defaults(rnd)
    issued_on = issued_on or start["issued_on"]
    data = round_reads.snapshot(rnd)
    if not (data["summary"]["websites"]["checked"] or data["summary"]["accounts"]["checked"]):
        raise Invalid({"round": "本轮还没有检查对象（网站或账号），不能发布通报。"})
    with transaction():
        last = db.session.scalar(sa.select(sa.func.max(RoundPublication.version))
                                 .where(RoundPublication.round_id == rnd.id))
        if last and not (note or "").strip():
            raise Conflict(f"“{rnd.name}”已发布（第 {last} 版）；如需更正，请填写更正说明后发布更正版。")
        row = RoundPublication(round_id=rnd.id, version=(last or 0) + 1, note=(note or "").strip() or None,
                               data=data, published_at=clock.now(), published_by_id=getattr(actor, "id", None))
        db.session.add(row)
        db.session.flush()
        number = number or notices.propose(current_app.config["NOTICE_CODE"], issued_on.year)
        notices.register("quarterly", number, issued_on,
                         {"intro": (intro or start["intro"]).strip(),
                          "requirements": (requirements or start["requirements"]).strip()},
                         round_publication_id=row.id)
    return row
