from __future__ import annotations

from flask import jsonify, request

from workflows.errors import NotFound

from ..queries import public_stats
from ..services import publication
from .registry import query, route


@route("/stats/monthly", "GET", "A published month (latest version; public, no token needed)",
       "MonthlyStats", errors=(400, 404), public=True,
       query=[query("month", {"type": "string", "pattern": r"^\d{4}-\d{2}$"}, "YYYY-MM (default: latest)"),
              query("version", {"type": "integer", "minimum": 1}, "a given version")])
def stats_monthly():
    month = request.args.get("month")
    if month is not None:
        publication.parse_month(month)
    version = request.args.get("version", type=int)
    rows = public_stats.versions(month) if month else []
    snap = next((r for r in rows if r.version == version), None) if version else public_stats.current(month)
    if snap is None:
        raise NotFound("该月份尚未发布统计数据。")
    return jsonify(period=snap.period, version=snap.version, note=snap.note,
                   published_at=snap.published_at.isoformat(), data=snap.data,
                   versions=[r.version for r in public_stats.versions(snap.period)])
