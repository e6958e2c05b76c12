"""协办 and 退单 figures per unit against a month computed by hand, in the statistics,
the published snapshot and its table."""

from datetime import UTC, datetime

import pytest

from casework import clock, stats
from casework.permissions import SYSTEM_ACTOR
from casework.services import accounts, co_handling, publication
from casework.web.public_stats import monthly
from tests.factories import PASSWORD, act, build_world, letter, local

MONDAY = local(2026, 3, 2, 9)
MARCH = stats.Period(datetime(2026, 2, 28, 16, tzinfo=UTC), datetime(2026, 3, 31, 16, tzinfo=UTC),
                     datetime(2026, 4, 10, tzinfo=UTC))


@pytest.fixture
def march(ctx):
    w = build_world()
    accounts.create_unit(SYSTEM_ACTOR, "hbj", "安康市生态环境局", "department", "环境局")
    hbj = accounts.create_user(SYSTEM_ACTOR, "hbj_handler", "unit_handler", PASSWORD, unit_code="hbj")
    d = w.dispatcher

    def case(lead, co=(), when=MONDAY):
        with clock.travel(when):
            c = letter(d, received_at=when.isoformat())
            act(d, c, "assign", unit_code=lead, co_unit_codes=list(co))
        return c

    with clock.travel(local(2026, 3, 3, 9)):
        a = case("zyx", co=("gaj", "hbj"))          # A: gaj late, hbj on time
        act(hbj, a, "co_opinion", opinion="按时")
        b = case("gaj", co=("zyx",))                # B: zyx on time
        act(w.zyx_handler, b, "co_opinion", opinion="按时")
        c = case("zyx")                             # C: 退单 refused
        act(w.zyx_handler, c, "reject_assignment", reason="非本单位")
        act(d, c, "refuse_rejection", reason="属本单位")
        e = case("zyx")                             # D: 退单 → 改派 to gaj
        act(w.zyx_handler, e, "reject_assignment", reason="非本单位")
        act(d, e, "reassign", unit_code="gaj", reason="理由成立")
        f = case("gaj")                             # E: 退单 pending
        act(w.gaj_handler, f, "reject_assignment", reason="非本单位")
    co_handling.mark_late(local(2026, 3, 6, 1))     # A's and B's co deadline was 03-05
    case("zyx", co=("gaj",), when=local(2026, 2, 26, 9))  # February: not March's
    return w


def test_co_handling_and_disputes_per_unit(march):
    table = stats.by_unit(MARCH).set_index("code")
    figures = table[["received", *stats.UNIT_ONLY]].loc[["zyx", "gaj", "hbj"]]
    assert figures.to_dict("index") == {
        # received counts each case once, for its lead (D moved to gaj)
        "zyx": {"received": 2, "co_handled": 1, "co_late": 0, "disputes": 2, "disputes_refused": 1},
        "gaj": {"received": 3, "co_handled": 1, "co_late": 1, "disputes": 1, "disputes_refused": 0},
        "hbj": {"received": 0, "co_handled": 1, "co_late": 0, "disputes": 0, "disputes_refused": 0},
    }
    assert stats.overall(MARCH)["received"] == 5


def test_the_published_month_carries_them(march):
    data = publication.snapshot("2026-03", datetime(2026, 4, 10, tzinfo=UTC), 0, 1)
    by_code = {u["code"]: u for u in data["units"]}
    assert (by_code["gaj"]["co_late"], by_code["zyx"]["disputes_refused"]) == (1, 1)
    rows = monthly.unit_rows(data, include_idle=True)
    assert monthly.totals(rows, 0)["disputes"] == 3
