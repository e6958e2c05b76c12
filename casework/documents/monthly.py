"""The published month in the forms the office issues it: the notice's paragraph, the
per-unit table (public page, xlsx, csv, the 通报's 附件) and the 通报 itself.

Every form is made from the frozen snapshot and the same helpers here, so their figures
agree. Letters not yet dispatched belong to no unit: they count in the month's total but
never appear as a row of a unit table; the text says how many there are.
"""

from __future__ import annotations

from workflows.clock import to_local

from .. import stats
from ..stats import LABELS, RATES, published_percent, published_ratio
from . import texts
from .render import render, template_path
from .sheets import Column, Table, csv_bytes, xlsx

COUNTS = ("received", "closed", "on_time", "overdue", "returned", "rated", "satisfied",
          "response_due", "responded", "resolution_rated", "resolved", "excluded")
# The 三率 (响应率, 解决率, 满意率): a month published before they were counted has none.
THREE_RATES = ("response_rate", "resolution_rate", "satisfaction_rate")


def has_three_rates(data: dict) -> bool:
    return "response_due" in data["overall"]
UNIT_ONLY = tuple(stats.UNIT_ONLY)


def period_text(period: str) -> str:
    year, month = period.split("-")
    return f"{year}年{int(month)}月"


def paragraph(data: dict) -> str:
    o = data["overall"]
    # Written as the seeds write it (no spaces around figures): the same text goes into the 通报.
    text = (f"{period_text(data['period'])}，市长信箱共受理来信{o['received']}封，办结{o['closed']}封，"
            f"办结率达{o['closed_rate']}，按时办结{o['on_time']}封，按时办结率{o['on_time_rate']}")
    if o["overdue"]:
        text += f"，超期{o['overdue']}封"
    if o["returned"]:
        text += f"，因答复不规范退回重办{o['returned']}封（退回率{o['return_rate']}）"
    if not has_three_rates(data):
        if o["rated"]:
            text += f"；来信人评价{o['rated']}封，满意率{o['satisfaction_rate']}"
        return text + "。"
    three = [f"{LABELS[rate]}{o[rate]}（{o[RATES[rate][0]]}/{o[RATES[rate][1]]}）"
             for rate in THREE_RATES if o[RATES[rate][1]]]
    if three:
        text += "；" + "，".join(three)
    if o["excluded"]:
        text += f"；{o['excluded']}封认定为不合理诉求，不参与评价"
    return text + "。"


def unit_rows(data: dict, include_idle: bool = False) -> list[dict]:
    """Real units only, those with letters unless asked for all, busiest first."""
    return [u for u in data["units"] if u.get("code") and (include_idle or u["received"])]


def awaiting_dispatch(data: dict) -> int:
    return sum(u["received"] for u in data["units"] if not u.get("code"))


def totals(rows: list[dict], decimals: int) -> dict:
    """The 合计 of a unit table: the sum of its rows, rates recomputed from the sums."""
    total = {c: sum(int(r.get(c, 0)) for r in rows) for c in COUNTS}
    # 协办 and 退单 figures are the units' (absent from snapshots published before them).
    total |= {c: sum(int(r[c]) for r in rows) for c in UNIT_ONLY if rows and all(c in r for r in rows)}
    return stats.with_rates(total, decimals)


def table_notes(data: dict, list_exclusions: bool = True) -> list[str]:
    cutoff = to_local(data["cutoff"]).date()
    notes = [f"统计口径：受理为当月收到的来信（不含不予受理和重复件）；办结为截至{date_text(cutoff)}审核通过并办结的来信；"
             "按时办结以答复时冻结的“按时”标记为准；比率截尾取整，不四舍五入进位。"]
    if has_three_rates(data):
        notes.append("响应率为派单后在签收时限内签收的来信占应签收来信的比例；解决率、满意率以 12345 回访结果为准，"
                     "未接通的以来信人评价为准；认定为不合理诉求的来信不参与三率计算。")
        listed = data.get("exclusions") or []
        if listed and list_exclusions:
            notes.append("不合理诉求：" + "；".join(f"{e['number']}（{e['unit']}）：{e['reason']}" for e in listed) + "。")
    waiting = awaiting_dispatch(data)
    if waiting:
        notes.append(f"另有{waiting}封来信尚待派单，计入全市受理总数，未列入本表。")
    return notes


def unit_table(snap, include_idle: bool = False) -> Table:
    data, decimals = snap.data, snap.data["decimals"]
    rows = unit_rows(data, include_idle)
    columns = [Column("序号", "int"), Column("单位")]
    layout = ["received", "closed", "closed_rate", "on_time", "on_time_rate", "overdue", "returned", "return_rate",
              "avg_days", "median_days", "rated", "satisfied", "satisfaction_rate"]
    if has_three_rates(data):
        layout += ["response_due", "responded", "response_rate", "resolution_rated", "resolved", "resolution_rate",
                   "excluded"]
    if rows and all("co_handled" in r for r in rows):
        layout += list(UNIT_ONLY)
    rates = [r for r in RATES if r in layout]
    for key in layout:
        kind = "pct" if key in RATES else "num" if key.endswith("_days") else "int"
        columns.append(Column(LABELS[key], kind))
    columns += [Column(f"{LABELS[r]}（公布）", xlsx_only=True) for r in rates]

    def line(number, name, row):
        values = [number, name]
        for key in layout:
            if key in RATES:
                num, den = RATES[key]
                values.append(published_ratio(int(row[num]), int(row[den]), decimals))
            else:
                values.append(row.get(key))
        return values + [published_percent(int(row[RATES[r][0]]), int(row[RATES[r][1]]), decimals)
                         for r in rates]

    total = totals(rows, decimals)
    return Table("各单位", f"{period_text(data['period'])}市长信箱来信办理情况",
                 _subtitle(snap), columns, [line(i, r["name"], r) for i, r in enumerate(rows, 1)],
                 total=line(None, "合计", total | {"avg_days": None, "median_days": None}),
                 notes=[paragraph(data), *table_notes(data)], decimals=decimals, freeze_columns=2)


def _subtitle(snap) -> str:
    data, day, minute = snap.data, "%Y-%m-%d", "%Y-%m-%d %H:%M"
    return (f"统计期间：{to_local(data['start']):{day}} 至 {to_local(data['end']):{day}}（不含）"
            f"· 第 {snap.version} 版 · 发布于 {to_local(snap.published_at):{minute}} · 截至 {to_local(data['cutoff']):{minute}}"
            + (f" · 更正说明：{snap.note}" if snap.note else ""))


def channel_table(snap) -> Table:
    data, decimals = snap.data, snap.data["decimals"]
    columns = [Column("渠道"), Column("受理", "int"), Column("办结", "int"), Column("办结率", "pct"),
               Column("按时办结", "int"), Column("按时办结率", "pct")]
    rows = [[c["label"], c["received"], c["closed"], published_ratio(c["closed"], c["received"], decimals),
             c["on_time"], published_ratio(c["on_time"], c["received"], decimals)]
            for c in data["channels"] if c["received"]]
    return Table("各渠道", f"{period_text(data['period'])}市长信箱来信办理情况（按渠道）", _subtitle(snap), columns,
                 rows, decimals=decimals)


def xlsx_bytes(snap, include_idle: bool = False) -> bytes:
    return xlsx([unit_table(snap, include_idle), channel_table(snap)])


def csv_data(snap, include_idle: bool = False) -> bytes:
    return csv_bytes(unit_table(snap, include_idle))


NAMED = 5  # the text names the few with most; the 附件 lists every unit


def _named(rows: list[dict], key: str) -> str:
    names = "、".join(f"{r['name']}（{r[key]}封）" for r in rows[:NAMED])
    return names + (f"等{len(rows)}个单位" if len(rows) > NAMED else "")


def units_text(data: dict) -> list[dict]:
    """二、各单位办理情况: the league (only units with at least `min_cases` letters, never a
    pseudo-unit), then who had overdue and returned letters."""
    by_code = {u["code"]: u for u in unit_rows(data)}
    league = [by_code[c] for c in data["league"] if c in by_code]
    out = []
    if league:
        best = "、".join(f"{u['name']}（{u['closed_rate']}）" for u in league[:3])
        out.append(texts.paragraph(f"受理来信不少于{data['min_cases']}封的{len(league)}个单位中，办结率较高的是{best}。"))
        if len(league) > 3:
            worst = "、".join(f"{u['name']}（{u['closed_rate']}）" for u in league[-3:][::-1])
            out.append(texts.paragraph(f"办结率较低的是{worst}。"))
    else:
        out.append(texts.paragraph(f"本月没有受理来信不少于{data['min_cases']}封的单位，不作办结率排名。"))
    rows = unit_rows(data)
    overdue = sorted((u for u in rows if u["overdue"]), key=lambda u: -u["overdue"])
    returned = sorted((u for u in rows if u["returned"]), key=lambda u: -u["returned"])
    out.append(texts.paragraph(f"有超期来信的单位：{_named(overdue, 'overdue')}。" if overdue else "本月没有超期来信。"))
    if returned:
        out.append(texts.paragraph(f"因答复不规范被退回重办的单位：{_named(returned, 'returned')}。"))
    if has_three_rates(data):
        out += [texts.paragraph(t) for t in _three_rates_text(league)]
    out.append(texts.paragraph("各单位办理情况详见附件。"))
    return out


def _three_rates_text(league: list[dict]) -> list[str]:
    """Of the units in the league, the few lowest by each of the 三率 (exact fractions)."""
    from fractions import Fraction

    out = []
    for rate in THREE_RATES:
        num, den = RATES[rate]
        rows = sorted((u for u in league if u.get(den)), key=lambda u: (Fraction(u[num], u[den]), -u[den]))
        if rows:
            names = "、".join(f"{u['name']}（{u[rate]}）" for u in rows[:3])
            out.append(f"{LABELS[rate]}较低的是{names}。")
    return out


def notice_context(snap, notice, config: dict) -> dict:
    data = snap.data
    period = period_text(data["period"])
    rows = unit_rows(data)
    overall = paragraph(data)
    waiting = awaiting_dispatch(data)
    if waiting:
        overall += f"另有{waiting}封来信尚待派单。"
    issuer = config["NOTICE_ISSUER"]
    return {
        "masthead": config.get("NOTICE_MASTHEAD") or issuer,
        "doc_number": notice.number if notice else "",
        "title": f"{issuer}关于{period}市长信箱来信办理情况的通报",
        "recipients": config["NOTICE_RECIPIENTS"],
        "intro": [texts.paragraph(texts.monthly_intro(period))],
        "overall": [texts.paragraph(overall)],
        "units_text": units_text(data),
        "requirements": texts.paragraphs(texts.MONTHLY_REQUIREMENTS),
        "attachment_title": f"{period}各单位市长信箱来信办理情况统计表",
        "signature": issuer,
        "issued_on": date_text(notice.issued_on if notice else to_local(snap.published_at).date()),
        "rows": [r | {"no": i} for i, r in enumerate(rows, 1)],
        "total": totals(rows, data["decimals"]),
        "table_notes": [texts.paragraph(n) for n in table_notes(data)],
    }


def date_text(day) -> str:
    """成文日期: 年月日 in Arabic numerals, no leading zeros (GB/T 9704 7.3.5)."""
    return f"{day.year}年{day.month}月{day.day}日"


def docx_bytes(snap, notice, config: dict) -> bytes:
    return render(template_path(config, "monthly"), notice_context(snap, notice, config))
