from casework.web import charts


def test_nice_scale_gives_round_ticks_above_the_top():
    assert charts.nice_scale(0) == (4, 1)
    assert charts.nice_scale(7) == (8, 2)
    assert charts.nice_scale(24) == (25, 5)
    assert charts.nice_scale(384) == (400, 100)


def test_twelve_months_back_across_new_year():
    months = charts.months_back("2026-02")
    assert len(months) == 12 and months[0] == "2025-03" and months[-1] == "2026-02"


def test_monthly_chart_scales_bars_and_marks_unpublished_months():
    history = {"2026-10": {"overall": {"received": 24, "closed": 12}}}
    chart = charts.monthly("t", "受理与办结", history, "2026-10", ("received", "closed"))
    last, first = chart.rows[-1], chart.rows[0]
    assert [b.pct for b in last.bars] == [charts.AXIS * 24 / 25, charts.AXIS * 12 / 25]
    assert first.note == "未公布" and all(b.pct is None and b.text == "—" for b in first.bars)
    assert chart.ticks[0] == (0.0, "0") and chart.ticks[-1] == (charts.AXIS, "25")


def test_league_only_ranks_real_units_of_the_snapshot_league():
    data = {"decimals": 0, "min_cases": 10, "league": ["a", "b"], "units": [
        {"code": "a", "name": "甲", "received": 12, "closed": 12, "closed_rate": "100%"},
        {"code": "b", "name": "乙", "received": 30, "closed": 29, "closed_rate": "96%"},
        {"code": "c", "name": "丙", "received": 1, "closed": 1, "closed_rate": "100%"},
        {"code": None, "name": "未派单", "received": 40, "closed": 0, "closed_rate": "0%"}]}
    chart = charts.league(data)
    assert [r.label for r in chart.rows] == ["甲", "乙"]
    assert chart.rows[1].bars[0].pct == charts.AXIS * 96 / 100 and chart.rows[1].bars[0].text == "96%"
    assert charts.league(data | {"league": []}).empty.startswith("本月没有受理来信不少于 10 封")
