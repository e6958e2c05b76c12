"""Charts of the public statistics, as data for templates/stats/_charts.html.

Server-rendered, no JavaScript and no charting library: each chart is an HTML table (a
row per month or unit, its label real text that wraps on a phone) whose bars are small
inline SVGs without a viewBox, so nothing is scaled: text stays 13–15 px at 320 px and at
1366 px alike. Bars span the first AXIS % of their cell, the value is printed at the end
of each bar, and the axis below has its ticks. Series differ by pattern as well as colour
(they survive a black-and-white printer); a problem (超期, 退回) is red or orange, never green.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

AXIS = 80.0  # percent of the bar cell the scale spans; the rest holds the values
SERIES = {  # key: (label, fill, stroke)
    "received": ("受理", "url(#chart-hatch) #8a99ad", "#3b4a5e"),
    "closed": ("办结", "#1f4e8c", "#1f4e8c"),
    "overdue": ("超期", "#b3261e", "#b3261e"),
    "returned": ("退回", "url(#chart-hatch-orange) #c77414", "#8a4b00"),
    "closed_rate": ("办结率", "#1f4e8c", "#1f4e8c"),
}


@dataclass
class Bar:
    key: str
    label: str
    fill: str
    stroke: str
    pct: float | None  # of the cell's width; None: no figure (month not published)
    text: str


@dataclass
class Row:
    label: str
    note: str = ""
    bars: list[Bar] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return "，".join(f"{b.label}{b.text}" for b in self.bars)


@dataclass
class Chart:
    id: str
    title: str
    head: str  # header of the label column
    series: list[str]
    rows: list[Row]
    ticks: list[tuple[float, str]]
    empty: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def legend(self) -> list[tuple[str, str, str]]:
        return [SERIES[k] for k in self.series]


def nice_scale(top: int) -> tuple[int, int]:
    """An axis maximum ≥ top and a round step (1, 2 or 5 × 10^k) giving 3–5 ticks."""
    if top <= 0:
        return 4, 1
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if top <= step * 5:
                return step * -(-top // step), step
        magnitude *= 10


def _bar(key: str, value: int | None, scale: float, text: str | None = None) -> Bar:
    label, fill, stroke = SERIES[key]
    pct = None if value is None else AXIS * value / scale
    return Bar(key, label, fill, stroke, pct, text if text is not None else ("—" if value is None else str(value)))


def months_back(period: str, n: int = 12) -> list[str]:
    year, month = map(int, period.split("-"))
    out = []
    for _ in range(n):
        out.append(f"{year}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out[::-1]


def monthly(chart_id: str, title: str, history: dict[str, dict], end: str, keys: tuple[str, str]) -> Chart:
    """Twelve months up to `end`, with zeros where a month had none and "未发布" where
    nothing was published."""
    periods = months_back(end)
    values = {p: history[p]["overall"] for p in periods if p in history}
    top, step = nice_scale(max((v[k] for v in values.values() for k in keys), default=0))
    rows = []
    for p in periods:
        year, month = p.split("-")
        o = values.get(p)
        rows.append(Row(f"{year}年{int(month)}月", "" if o else "未公布",
                        [_bar(k, o[k] if o else None, top) for k in keys]))
    ticks = [(AXIS * v / top, str(v)) for v in range(0, top + 1, step)]
    notes = ["“—”表示该月没有已公布的数据。"] if len(values) < len(periods) else []
    return Chart(chart_id, title, "月份", list(keys), rows, ticks, notes=notes)


def league(data: dict) -> Chart:
    """办结率 of the units ranked in the snapshot (at least `min_cases` letters; never a
    pseudo-unit), best first; the bar is the published (truncated) rate."""
    by_code = {u["code"]: u for u in data["units"] if u.get("code")}
    rows = []
    for code in data["league"]:
        u = by_code.get(code)
        if u is None or not u["received"]:
            continue
        rate = Fraction(u["closed"], u["received"])
        shown = int(rate * 100 * 10 ** data["decimals"]) / 10 ** data["decimals"]
        rows.append(Row(u["name"], f"办结 {u['closed']} / 受理 {u['received']}",
                        [_bar("closed_rate", shown, 100, u["closed_rate"])]))
    ticks = [(AXIS * v / 100, f"{v}%") for v in (0, 25, 50, 75, 100)]
    empty = (f"本月没有受理来信不少于 {data['min_cases']} 封的单位，不作排名。" if not rows else "")
    return Chart("league", "各单位办结率", "单位", ["closed_rate"], rows, ticks, empty=empty,
                 notes=[f"仅含当月受理来信不少于 {data['min_cases']} 封的单位。"])
