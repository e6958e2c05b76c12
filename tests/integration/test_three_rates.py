"""The 三率 (响应率, 解决率, 满意率) on a month computed by hand, per unit and overall, in the
snapshot, the paragraph of the 通报 and the xlsx."""

import io

import pytest
from openpyxl import load_workbook

from casework import clock, stats
from casework.documents import monthly
from casework.permissions import Citizen
from casework.services import publication
from tests.factories import act, build_world, letter, local

CUTOFF = local(2025, 12, 1, 8, 30)


def handled(w, unit, assigned, signed=None, closed=None, calls=(), handler=None):
    """A letter assigned at `assigned` (Beijing (month, day, hour)), signed for at `signed`,
    answered and closed at `closed`, then called back with `calls` (one dict per call)."""
    handler = handler or (w.zyx_handler if unit == "zyx" else w.gaj_handler)
    with clock.travel(local(2025, *assigned)):
        c = letter(w.dispatcher)
        act(w.dispatcher, c, "assign", unit_code=unit)
    if signed:
        with clock.travel(local(2025, *signed)):
            act(handler, c, "acknowledge")
    if closed:
        with clock.travel(local(2025, *closed)):
            act(handler, c, "reply", body="已处理。")
            act(w.reviewer, c, "accept")
            act(w.reviewer, c, "close")
        for call in calls:
            with clock.travel(local(2025, *closed[:2], 16)):
                act(w.dispatcher, c, "call_back", **call)
    return c


RESOLVED_SATISFIED = {"reached": "reached", "resolved": "resolved", "satisfaction": "satisfied"}
UNREACHED = {"reached": "unreached"}


@pytest.fixture
def november(ctx):
    """November 2025 by hand (respond_by = the end of the working day after assignment):

    zyx A  assigned 11-03 09, signed 11-03 15 (in time)  回访: 已解决, 满意
    zyx B  assigned 11-04 09, signed 11-06 09 (late)     回访: 未解决, 不满意
    zyx C  assigned 11-05 09, signed 11-05 10 (in time)  回访 not reached 3x; writer rates 基本满意
    zyx D  assigned 11-10 09, never signed (limit 11-11 passed by the cut-off), open
    gaj E  assigned 11-03 09, signed in time             回访: 已解决, 基本满意; then 不合理诉求
    gaj F  assigned 11-04 09, signed in time             no call yet; writer rates 不满意: 问题没有解决
    —   G  not dispatched                                no response due

    zyx: 响应 2/4 = 50%; 解决 (A, C of A, B, C) 2/3 = 66% (not 67%); 满意 (A, C) 2/3 = 66%
    gaj: 响应 1/1 (E excluded); 解决 0/1; 满意 0/1; 1 excluded
    all: 响应 3/5 = 60%; 解决 2/4 = 50%; 满意 2/4 = 50%; 1 excluded
    """
    w = build_world()
    handled(w, "zyx", (11, 3, 9), (11, 3, 15), (11, 5, 9), [RESOLVED_SATISFIED])
    handled(w, "zyx", (11, 4, 9), (11, 6, 9), (11, 7, 9),
            [{"reached": "reached", "resolved": "unresolved", "satisfaction": "unsatisfied"}])
    c = handled(w, "zyx", (11, 5, 9), (11, 5, 10), (11, 7, 10), [UNREACHED] * 3)
    act(Citizen(frozenset({c.number})), c, "rate", rating="basically_satisfied")
    handled(w, "zyx", (11, 10, 9))
    e = handled(w, "gaj", (11, 3, 9), (11, 3, 10), (11, 4, 9),
                [{"reached": "reached", "resolved": "resolved", "satisfaction": "basically_satisfied"}])
    act(w.reviewer, e, "exclude_evaluation", reason="要求赔偿法律规定以外的损失，联系人王先生 13909150001")
    f = handled(w, "gaj", (11, 4, 9), (11, 4, 10), (11, 6, 9))
    act(Citizen(frozenset({f.number})), f, "rate", rating="unsatisfied", reasons=["unsolved"])
    with clock.travel(local(2025, 11, 20, 9)):
        letter(w.dispatcher)
    return {"period": stats.Period(local(2025, 11, 1), local(2025, 12, 1), CUTOFF), "excluded": e}


THREE = ["response_due", "responded", "resolution_rated", "resolved", "rated", "satisfied", "excluded"]


def test_overall(november):
    o = stats.overall(november["period"])
    assert [o[k] for k in THREE] == [5, 3, 4, 2, 4, 2, 1]
    rates = stats.with_rates(o, 0)
    assert (rates["response_rate"], rates["resolution_rate"], rates["satisfaction_rate"]) == ("60%", "50%", "50%")


def test_per_unit_truncated(november):
    table = stats.by_unit(november["period"]).set_index("code")
    zyx, gaj = stats.with_rates(table.loc["zyx"].to_dict(), 0), stats.with_rates(table.loc["gaj"].to_dict(), 0)
    assert [int(zyx[k]) for k in THREE] == [4, 2, 3, 2, 3, 2, 0]
    assert (zyx["response_rate"], zyx["resolution_rate"], zyx["satisfaction_rate"]) == ("50%", "66%", "66%")
    assert [int(gaj[k]) for k in THREE] == [1, 1, 1, 0, 1, 0, 1]
    assert (gaj["response_rate"], gaj["resolution_rate"], gaj["satisfaction_rate"]) == ("100%", "0%", "0%")


def test_published_month_carries_the_three_rates_and_lists_exclusions(november):
    from casework.permissions import SYSTEM_ACTOR

    with clock.travel(CUTOFF):
        snap = publication.publish(SYSTEM_ACTOR, "2025-11")
    data = snap.data
    assert "响应率60%（3/5），解决率50%（2/4），满意率50%（2/4）" in data["paragraph"]
    assert "1封认定为不合理诉求，不参与评价" in data["paragraph"]
    [listed] = data["exclusions"]
    assert listed["number"] == november["excluded"].number and listed["unit"] == "安康市公安局"
    assert "13909150001" not in listed["reason"] and "要求赔偿法律规定以外的损失" in listed["reason"]
    sheet = load_workbook(io.BytesIO(monthly.xlsx_bytes(snap))).worksheets[0]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in cells if r[1] == "单位")
    zyx = next(r for r in cells if r[1] == "紫阳县人民政府")
    row = dict(zip(header, zyx, strict=True))
    assert (row["应签收"], row["按时签收"], row["响应率（公布）"]) == (4, 2, "50%")
    assert (row["参与解决评价"], row["已解决"], row["解决率（公布）"]) == (3, 2, "66%")
    notes = " ".join(str(r[0]) for r in cells if r[0])
    assert "不合理诉求：" + november["excluded"].number in notes
