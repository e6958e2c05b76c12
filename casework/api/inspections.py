from __future__ import annotations

from flask import g, jsonify, request

from workflows.errors import Forbidden, NotFound
from workflows.vocabulary import ADMIN, REVIEWER

from ..extensions import db
from ..models import InspectionRound
from ..queries import public_stats, rounds
from .registry import query, route


@route("/inspections/rounds/<int:round_id>", "GET",
       "A round as it stands (office): figures, the verdict of every site and account, published versions",
       "InspectionRound", errors=(401, 403, 404))
def inspection_round(round_id: int):
    if g.api_user.role not in (ADMIN, REVIEWER):
        raise Forbidden("只有电子政务办公室可以查看检查轮次。")
    rnd = db.session.get(InspectionRound, round_id)
    if rnd is None:
        raise NotFound("检查轮次不存在。")
    return jsonify(published=False, data=rounds.snapshot(rnd),
                   versions=[v.version for v in rounds.publications(rnd.id)])


@route("/stats/inspections", "GET", "A published round (latest, or a given one; public, no token needed)",
       "InspectionRound", errors=(400, 404), public=True,
       query=[query("round", {"type": "integer", "minimum": 1}, "round id (default: the latest published)"),
              query("version", {"type": "integer", "minimum": 1}, "a given version (default: the latest)")])
def stats_inspections():
    round_id, version = request.args.get("round", type=int), request.args.get("version", type=int)
    if round_id is None:
        row = public_stats.latest_round()
        if row is None:
            raise NotFound("尚未发布检查情况通报。")
    else:
        versions = rounds.publications(round_id)
        row = next((v for v in versions if v.version == version), None) if version else (versions or [None])[-1]
        if row is None:
            raise NotFound("该检查轮次尚未发布或没有这一版。")
    notice = public_stats.notice_for_round(row.id)
    return jsonify(published=True, version=row.version, note=row.note, published_at=row.published_at.isoformat(),
                   number=notice.number if notice else None, data=row.data,
                   versions=[v.version for v in rounds.publications(row.round_id)])
