"""Handling statistics: 受理, 办结, 办结率 and the other published figures.

Counting is done by the database (GROUP BY); pandas shapes the few aggregate rows into
tables. Definitions (the README repeats them for readers of the published tables):

- received (受理): letters received in the period, except those dismissed (不予受理)
  or merged into another letter (duplicates);
- closed (办结): of those, closed with an accepted reply by the cut-off;
- on time (按时办结): of those closed, the ones whose frozen `on_time` flag is set (the
  accepted reply was given by its due date and the case was never overdue);
- overdue (超期): of those received, the ones ever marked overdue (frozen flag);
- returned (退回): of those received, the ones returned at least once;
- handling time: working days from receipt to the accepted reply, frozen at acceptance;
- the 三率, over letters not excluded from evaluation (不合理诉求, listed with their reasons):
  响应率: signed for (签收) within the response limit of the assignment, over the
  assigned letters whose limit has passed or that were signed for; 解决率: resolved by
  the 回访 (when it reached the writer) or else by the writer's rating (unresolved only
  when 不满意 says 问题没有解决), over the letters either evaluated; 满意率: (满意 + 基本满意)
  over the letters evaluated the same way (回访 first, then the writer's rating).

Per unit only, of the cases received in the period (a case counts for its lead unit in
every figure above):
- co-handled (协办): cases this unit was a co-unit of; late (协办意见超期): of those, the
  ones whose input came after its own due date, or not by then (frozen `late_at`);
- 退单: 退单 this unit asked for; refused (退单被驳回): of those, the ones the dispatcher
  refused (the unit kept the case and its clock).

Every rate is published with published_percent(): truncated, never rounded up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import sqlalchemy as sa

from workflows.case_flow import answered

from .evaluation import SATISFIED, with_evaluation
from .extensions import db
from .models import Case, CoUnit, Dispute, Unit

COUNTS = ["received", "closed", "on_time", "overdue", "returned", "rated", "satisfied",
          "response_due", "responded", "resolution_rated", "resolved", "excluded"]
RATES = {  # rate: (numerator, denominator)
    "closed_rate": ("closed", "received"),
    "on_time_rate": ("on_time", "received"),
    "return_rate": ("returned", "received"),
    "satisfaction_rate": ("satisfied", "rated"),
    "response_rate": ("responded", "response_due"),
    "resolution_rate": ("resolved", "resolution_rated"),
}
LABELS = {"received": "受理", "closed": "办结", "closed_rate": "办结率", "on_time": "按时办结",
          "on_time_rate": "按时办结率", "overdue": "超期", "returned": "退回", "return_rate": "退回率",
          "avg_days": "平均办理用时（工作日）", "median_days": "办理用时中位数（工作日）",
          "rated": "参与评价", "satisfied": "满意（含基本满意）", "satisfaction_rate": "满意率",
          "response_due": "应签收", "responded": "按时签收", "response_rate": "响应率",
          "resolution_rated": "参与解决评价", "resolved": "已解决", "resolution_rate": "解决率",
          "excluded": "不合理诉求（不参与评价）",
          "co_handled": "协办", "co_late": "协办意见超期", "disputes": "退单", "disputes_refused": "退单被驳回"}
# Figures of a unit's part in other units' cases and of its 退单 (per unit, never summed
# into the city's totals: a co-handled case is counted once, for its lead).
UNIT_ONLY = ["co_handled", "co_late", "disputes", "disputes_refused"]


def published_percent(part: int, whole: int, decimals: int = 0) -> str:
    """The rate as it may be published: truncated, never rounded up, so 4257 of 4262 is
    "99%" ("99.88%" with 2 decimals), 100% only when part == whole, "—" when whole is 0.
    Integer arithmetic only."""
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (part, whole, decimals)):
        raise TypeError("published_percent takes integers")
    if whole == 0:
        return "—"
    if not 0 <= part <= whole or decimals < 0:
        raise ValueError(f"cannot publish {part} of {whole}")
    scale = 10 ** decimals
    integer, fraction = divmod(part * 100 * scale // whole, scale)
    return f"{integer}%" if decimals == 0 else f"{integer}.{fraction:0{decimals}d}%"


def published_ratio(part: int, whole: int, decimals: int = 0) -> Decimal | None:
    """The published rate as a number (0.99 for "99%"), for spreadsheets that sort and
    format it: the same truncation, so a cell formatted as percent shows the published text."""
    if whole == 0:
        return None
    published_percent(part, whole, decimals)  # the same checks
    scale = 10 ** (decimals + 2)
    return Decimal(part * scale // whole) / scale


@dataclass(frozen=True)
class Period:
    start: datetime  # inclusive
    end: datetime    # exclusive
    cutoff: datetime  # closures after this moment do not count


def _base(period: Period, case_type: str, channel: str | None):
    where = [Case.type == case_type, Case.received_at >= period.start, Case.received_at < period.end,
             sa.or_(Case.close_reason.is_(None), Case.close_reason.not_in(("dismissed", "merged")))]
    if channel:
        where.append(Case.channel == channel)
    return where


def _grouped(period: Period, by, case_type: str, channel: str | None) -> pd.DataFrame:
    """One scan: counts per (group, handling days). The database
    returns a few thousand aggregate rows, from which pandas takes both the totals and
    the median; no case row is loaded."""
    def count_if(cond):
        return sa.func.coalesce(sa.func.sum(sa.case((cond, 1), else_=0)), 0)

    closed = sa.and_(answered(Case), Case.closed_at < period.cutoff)
    # Grouped by the plain column, not "handling days if closed": the planner knows the
    # column's few distinct values and hashes a few thousand groups, where an expression
    # made it expect one group per row and sort them all on disk (10M cases, one month:
    # 0.34 s -> 0.15 s). Per group, `closed` counts exactly the histogram the median needs.
    days = Case.handling_days.label("days")
    stmt, ev = with_evaluation(sa.select(Case.id))
    counted = sa.not_(ev.excluded)
    response_due = sa.and_(counted, Case.respond_by.is_not(None),
                           sa.or_(Case.responded_on_time.is_not(None), Case.respond_by < period.cutoff))
    stmt = (stmt.with_only_columns(
                by.label("key"), days, sa.func.count().label("received"), count_if(closed).label("closed"),
                count_if(sa.and_(closed, Case.on_time.is_(True))).label("on_time"),
                count_if(Case.overdue.is_(True)).label("overdue"),
                count_if(Case.return_count > 0).label("returned"),
                count_if(sa.and_(counted, ev.satisfaction.is_not(None))).label("rated"),
                count_if(sa.and_(counted, ev.satisfaction.in_(SATISFIED))).label("satisfied"),
                count_if(response_due).label("response_due"),
                count_if(sa.and_(response_due, Case.responded_on_time.is_(True))).label("responded"),
                count_if(sa.and_(counted, ev.resolution.is_not(None))).label("resolution_rated"),
                count_if(sa.and_(counted, ev.resolution.is_(True))).label("resolved"),
                count_if(ev.excluded).label("excluded"), maintain_column_froms=True)
            .where(*_base(period, case_type, channel)).group_by(by, Case.handling_days))
    return pd.DataFrame(db.session.execute(stmt).all(), columns=["key", "days", *COUNTS])


def _medians(timed: pd.DataFrame) -> pd.Series:
    """Per key, the median handling time of a histogram (days, closed): the mean of the
    two middle cases, found on the cumulative counts (vectorised: no Python per group)."""
    timed = timed.sort_values(["key", "days"])
    by_key = timed.groupby("key", dropna=False)["closed"]
    cum, total = by_key.cumsum(), by_key.transform("sum")

    def first_day_reaching(rank):
        return timed["days"].where(cum >= rank).groupby(timed["key"], dropna=False).min()

    return (first_day_reaching((total + 1) // 2) + first_day_reaching(total // 2 + 1)) / 2


def _shape(grouped: pd.DataFrame) -> pd.DataFrame:
    if grouped.empty:
        return pd.DataFrame(columns=[*COUNTS, "avg_days", "median_days"]).rename_axis("key")
    grouped[COUNTS] = grouped[COUNTS].astype("int64")
    table = grouped.groupby("key", dropna=False)[COUNTS].sum()
    timed = grouped[grouped["days"].notna() & (grouped["closed"] > 0)].copy()
    timed["days_sum"] = timed["days"].astype("int64") * timed["closed"]
    sums = timed.groupby("key", dropna=False)[["days_sum", "closed"]].sum()
    table["avg_days"] = (sums["days_sum"] / sums["closed"]).round(1).reindex(table.index)
    table["median_days"] = _medians(timed).reindex(table.index) if not timed.empty else float("nan")
    return table


def by_unit(period: Period, case_type: str = "letter", channel: str | None = None) -> pd.DataFrame:
    """One row per unit, every unit included (zeros where nothing was received); letters
    not yet assigned to a unit form the row with unit code None."""
    table = _shape(_grouped(period, Case.unit_id, case_type, channel))
    units = pd.DataFrame(db.session.execute(sa.select(Unit.id, Unit.code, Unit.name).where(Unit.active))
                         .all(), columns=["key", "code", "name"]).set_index("key")
    table = units.join(table, how="outer").join(_unit_only(period, case_type, channel), how="left")
    table[COUNTS + UNIT_ONLY] = table[COUNTS + UNIT_ONLY].fillna(0).astype("int64")
    table.loc[table["code"].isna(), "name"] = "未派单"
    return table.reset_index(drop=True).sort_values(["received", "code"], ascending=[False, True],
                                                    na_position="last").reset_index(drop=True)


def _unit_only(period: Period, case_type: str, channel: str | None) -> pd.DataFrame:
    """co_handled, co_late, disputes, disputes_refused per unit id (two GROUP BYs)."""
    cases = sa.select(Case.id).where(*_base(period, case_type, channel))

    def grouped(unit_col, case_col, first, second, flag):
        return pd.DataFrame(db.session.execute(
            sa.select(unit_col, sa.func.count(), sa.func.coalesce(sa.func.sum(sa.case((flag, 1), else_=0)), 0))
            .where(case_col.in_(cases)).group_by(unit_col)).all(), columns=["key", first, second]).set_index("key")

    co = grouped(CoUnit.unit_id, CoUnit.case_id, "co_handled", "co_late", CoUnit.late_at.is_not(None))
    disputes = grouped(Dispute.unit_id, Dispute.case_id, "disputes", "disputes_refused",
                       Dispute.decision == "refused")
    return co.join(disputes, how="outer")


def by_column(period: Period, column, case_type: str = "letter") -> pd.DataFrame:
    """One row per value of `column` (e.g. Case.channel, Case.type)."""
    return _shape(_grouped(period, column, case_type, None)).reset_index()


def overall(period: Period, case_type: str = "letter", channel: str | None = None) -> dict:
    table = _shape(_grouped(period, sa.literal("all"), case_type, channel))
    if table.empty:
        return {c: 0 for c in COUNTS} | {"avg_days": None, "median_days": None}
    row = table.iloc[0]
    return {c: int(row[c]) for c in COUNTS} | {
        "avg_days": None if pd.isna(row["avg_days"]) else float(row["avg_days"]),
        "median_days": None if pd.isna(row["median_days"]) else float(row["median_days"])}


def with_rates(row: dict, decimals: int) -> dict:
    """A row of counts plus the published text of each rate (numerator and denominator
    stay next to it in every table). A row from a month published before a rate was
    counted (the 三率) gets no text for it."""
    return row | {rate: published_percent(int(row[num]), int(row[den]), decimals)
                  for rate, (num, den) in RATES.items() if num in row and den in row}


def league(table: pd.DataFrame, min_cases: int, by: str = "closed") -> pd.DataFrame:
    """Units ranked by a rate, only those with at least `min_cases` received, so that one
    quick reply does not top the table. Exact fractions, ties broken by volume."""
    eligible = table[(table["received"] >= min_cases) & table["code"].notna()].copy()
    num, den = RATES[f"{by}_rate"]
    eligible["_rate"] = [Fraction(int(n), int(d)) for n, d in zip(eligible[num], eligible[den], strict=True)]
    return eligible.sort_values(["_rate", den], ascending=[False, False]).drop(columns="_rate")
