"""xlsx exports of what a list page shows, with the page's filters: a unit's inbox tab and
the 督办 lists. Rows stream from the database into openpyxl's write-only workbook and the
file is sent from disk (documents/sheets.stream_xlsx, downloads.spooled)."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask_login import current_user

from workflows.clock import local_date
from workflows.vocabulary import CASE_TYPES, OFFICE_ROLES, UNIT_ROLES

from .. import clock
from ..documents.sheets import stream_xlsx
from ..queries import exports
from ..queries.inbox import TAB_LABELS, InboxFilter
from ..services import lookup
from .access import roles_required
from .downloads import spooled
from .present import beijing

bp = Blueprint("exports", __name__)


@bp.get("/inbox/export.xlsx")
@roles_required(*UNIT_ROLES)
def inbox():
    f = InboxFilter.from_args(request.args)
    now = clock.now()
    unit = current_user.unit
    label = TAB_LABELS[f.tab] + ("（已超期）" if f.overdue else "") + ("（即将超期）" if f.due_soon else "")
    filters = "，".join(p for p in (f.type and f"类型 {CASE_TYPES[f.type]}", f.month and f"收到月份 {f.month}",
                                    f.q and f"搜索“{f.q}”") if p) or "无其他筛选"
    day = local_date(now)
    rows = exports.inbox_rows(unit.id, f, now)
    return spooled(lambda path: stream_xlsx(path, label, f"{unit.name} · {label}", f"导出时间 {beijing(now)} · {filters}",
                                            exports.HEADERS, rows),
                   f"{unit.name}{label}{day:%Y%m%d}.xlsx", f"inbox-{f.tab}-{day:%Y%m%d}.xlsx")


@bp.get("/overview/export.xlsx")
@roles_required(*OFFICE_ROLES)
def supervision():
    kind = request.args.get("list", "supervised")
    if kind not in exports.SUPERVISION_LISTS:
        abort(400, "清单应为列入督办、已超期或即将超期。")
    code = request.args.get("unit", "").strip()
    unit = lookup.active_unit(code) if code else None
    now = clock.now()
    label = exports.SUPERVISION_LISTS[kind]
    scope = unit.name if unit else "全部单位"
    day = local_date(now)
    rows = exports.supervision_rows(kind, now, unit.id if unit else None)
    return spooled(lambda path: stream_xlsx(path, label, f"督办 · {label} · {scope}",
                                            f"导出时间 {beijing(now)}", exports.SUPERVISION_HEADERS, rows),
                   f"督办{label}{scope}{day:%Y%m%d}.xlsx", f"supervision-{kind}-{day:%Y%m%d}.xlsx")
