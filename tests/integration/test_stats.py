"""Statistics against a month computed by hand, the seed figures, and publication."""

import pytest
import sqlalchemy as sa

from casework import clock, stats
from casework.extensions import db
from casework.models import Case, CaseRating, PublishedStats
from casework.permissions import SYSTEM_ACTOR
from casework.queries import public_stats
from casework.services import accounts, publication
from tests.factories import act, build_world, letter, local
from workflows.errors import Conflict, Forbidden, Invalid


@pytest.mark.parametrize("part, whole, decimals, text", [
    (4257, 4262, 0, "99%"), (4257, 4262, 2, "99.88%"), (2864, 3330, 0, "86%"),
    (2864, 3330, 2, "86.00%"), (1, 6, 0, "16%"), (2, 3, 1, "66.6%"), (5, 5, 0, "100%"),
    (5, 5, 2, "100.00%"), (0, 7, 0, "0%"), (0, 0, 0, "—"), (999999, 1000000, 3, "99.999%"),
    (46, 50, 0, "92%"), (406, 423, 0, "95%"),
])
def test_published_percent_truncates_never_rounds_up(part, whole, decimals, text):
    assert stats.published_percent(part, whole, decimals) == text


def test_published_percent_refuses_nonsense():
    for bad in ((5, 4), (-1, 4)):
        with pytest.raises(ValueError):
            stats.published_percent(*bad)
    with pytest.raises(TypeError):
        stats.published_percent(0.5, 1)


def run(actor, case, steps):
    for when, event, fields in steps:
        with clock.travel(when):
            act(actor[event] if isinstance(actor, dict) else actor, case, event, **fields)


@pytest.fixture
def october(ctx):
    """October 2026, by hand (Beijing dates; 10-01..10-07 are the National Day holiday):

    zyx  A  received 10-12, replied 10-14 (due 10-19), closed      on time, 2 working days, 满意
    zyx  B  received 10-13, replied 10-22 (due 10-20), closed      overdue, 7 working days, 不满意
    zyx  C  received 10-20, replied, returned, replied 10-26, closed  on time, 4 days, 基本满意
    zyx  D  received 10-28, still open
    zyx  E  received 10-29, dismissed                               not 受理
    gaj  F  received 10-15, replied 10-20, closed 11-03             after the cut-off
    —    G  received 09-30                                          not October
    —    H  received 10-30, not yet dispatched
    hbj  no letters                                                 zeros
    """
    w = build_world()
    accounts.create_unit(SYSTEM_ACTOR, "hbj", "安康市生态环境局", "department")
    who = {"assign": w.dispatcher, "dismiss": w.dispatcher, "reply": w.zyx_handler,
           "accept": w.reviewer, "close": w.reviewer, "return_reply": w.reviewer}
    gaj = who | {"reply": w.gaj_handler}

    def new(day, hour=9):
        with clock.travel(local(2026, *day, hour)):
            return letter(w.dispatcher, received_at=local(2026, *day, hour).isoformat())

    cases = {}
    cases["A"] = new((10, 12))
    run(who, cases["A"], [(local(2026, 10, 12, 9, 10), "assign", {"unit_code": "zyx"}),
                          (local(2026, 10, 14, 10), "reply", {"body": "答复"}),
                          (local(2026, 10, 15, 9), "accept", {}), (local(2026, 10, 15, 9, 5), "close", {})])
    cases["B"] = new((10, 13))
    run(who, cases["B"], [(local(2026, 10, 13, 9, 10), "assign", {"unit_code": "zyx"}),
                          (local(2026, 10, 22, 10), "reply", {"body": "答复"}),
                          (local(2026, 10, 23, 9), "accept", {}), (local(2026, 10, 23, 9, 5), "close", {})])
    cases["C"] = new((10, 20))
    run(who, cases["C"], [(local(2026, 10, 20, 9, 10), "assign", {"unit_code": "zyx"}),
                          (local(2026, 10, 21, 10), "reply", {"body": "已转交"}),
                          (local(2026, 10, 22, 9), "return_reply", {"reason": "buck_passing"}),
                          (local(2026, 10, 26, 10), "reply", {"body": "已处理"}),
                          (local(2026, 10, 27, 9), "accept", {}), (local(2026, 10, 27, 9, 5), "close", {})])
    cases["D"] = new((10, 28))
    run(who, cases["D"], [(local(2026, 10, 28, 9, 10), "assign", {"unit_code": "zyx"})])
    cases["E"] = new((10, 29))
    run(who, cases["E"], [(local(2026, 10, 29, 10), "dismiss", {"reason": "spam"})])
    cases["F"] = new((10, 15))
    run(gaj, cases["F"], [(local(2026, 10, 15, 9, 10), "assign", {"unit_code": "gaj"}),
                          (local(2026, 10, 20, 10), "reply", {"body": "答复"}),
                          (local(2026, 10, 21, 9), "accept", {}), (local(2026, 11, 3, 10), "close", {})])
    cases["G"] = new((9, 30))
    cases["H"] = new((10, 30))
    for key, rating in (("A", "satisfied"), ("B", "unsatisfied"), ("C", "basically_satisfied")):
        db.session.add(CaseRating(case_id=cases[key].id, grade=rating, rated_at=local(2026, 11, 1)))
    db.session.commit()
    return stats.Period(local(2026, 10, 1), local(2026, 11, 1), local(2026, 11, 2, 8, 30))


def test_overall_figures(october):
    o = stats.overall(october)
    assert {k: o[k] for k in stats.COUNTS} == {"received": 6, "closed": 3, "on_time": 2, "overdue": 1,
                                              "returned": 1, "rated": 3, "satisfied": 2,
                                              # nobody signed for A-D, F (test_three_rates.py does)
                                              "response_due": 5, "responded": 0,
                                              "resolution_rated": 3, "resolved": 3, "excluded": 0}
    assert o["avg_days"] == 4.3 and o["median_days"] == 4  # (2 + 7 + 4) / 3; middle of 2, 4, 7
    rates = stats.with_rates(o, 0)
    assert (rates["closed_rate"], rates["on_time_rate"], rates["return_rate"], rates["satisfaction_rate"]) == \
        ("50%", "33%", "16%", "66%")  # 1/6 = 16.67% is published as 16%


def test_per_unit_figures_include_units_without_letters(october):
    table = stats.by_unit(october).set_index("name")
    zyx, gaj, hbj = table.loc["紫阳县人民政府"], table.loc["安康市公安局"], table.loc["安康市生态环境局"]
    assert [int(zyx[c]) for c in stats.COUNTS] == [4, 3, 2, 1, 1, 3, 2, 4, 0, 3, 3, 0]
    assert (zyx["avg_days"], zyx["median_days"]) == (4.3, 4.0)
    assert [int(gaj[c]) for c in ("received", "closed", "on_time")] == [1, 0, 0]
    # F's reply was accepted (its handling time is known) but it closed after the cut-off.
    assert gaj[["avg_days", "median_days"]].isna().all()
    assert [int(hbj[c]) for c in stats.COUNTS] == [0] * 12
    assert stats.with_rates(hbj.to_dict(), 0)["closed_rate"] == "—"
    assert int(table.loc["未派单"]["received"]) == 1


def test_league_needs_a_minimum_of_cases(october):
    table = stats.by_unit(october)
    assert list(stats.league(table, min_cases=2)["code"]) == ["zyx"]
    assert list(stats.league(table, min_cases=1)["code"]) == ["zyx", "gaj"]


def test_a_later_calendar_change_does_not_move_published_on_time(october):
    from datetime import date

    from casework.services import calendar_admin
    calendar_admin.set_override(SYSTEM_ACTOR, date(2026, 10, 19), False, "临时调休")
    assert stats.overall(october)["on_time"] == 2  # the flags were frozen at acceptance


def test_publish_snapshot_correction_and_immutability(october, app):
    with clock.travel(local(2026, 11, 2, 8, 30)):
        with pytest.raises(Forbidden):
            publication.publish(type("U", (), {"role": "unit_handler", "id": None})(), "2026-10")
        first = publication.publish(SYSTEM_ACTOR, "2026-10")
        with pytest.raises(Conflict):
            publication.publish(SYSTEM_ACTOR, "2026-10")
        with pytest.raises(Invalid):
            publication.publish(SYSTEM_ACTOR, "2026-11")  # not over yet
        with pytest.raises(Invalid):
            publication.publish(SYSTEM_ACTOR, "2026-10", correction=True)  # a correction needs a note
    data = first.data
    assert data["overall"]["closed_rate"] == "50%" and data["overall"]["received"] == 6
    assert data["paragraph"].startswith("2026年10月，市长信箱共受理来信6封，办结3封，办结率达50%")
    assert data["league"] == []  # STATS_MIN_CASES defaults to 10: no unit qualifies yet
    # H (XJ-2026-000008) is dispatched in November: the live table moves, the published one not.
    with clock.travel(local(2026, 11, 4, 9)):
        act(build_user("dispatcher"), _case("XJ-2026-000008"), "assign", unit_code="gaj")
    live = stats.by_unit(october).set_index("name")
    published = {u["name"]: u for u in public_stats.current("2026-10").data["units"]}
    assert int(live.loc["安康市公安局"]["received"]) == 2
    assert published["安康市公安局"]["received"] == 1 and published["未派单"]["received"] == 1
    with clock.travel(local(2026, 11, 5, 9)):
        second = publication.publish(SYSTEM_ACTOR, "2026-10", note="补录一件漏派来信", correction=True)
    assert [v.version for v in public_stats.versions("2026-10")] == [1, 2]
    assert second.note == "补录一件漏派来信" and public_stats.current("2026-10").id == second.id
    row = db.session.get(PublishedStats, first.id)
    row.note = "tampered"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(sa.exc.DatabaseError):
        db.session.execute(sa.text("UPDATE published_stats SET note = 'x'"))
    db.session.rollback()


def build_user(username):
    from casework.models import User
    return db.session.scalar(sa.select(User).where(User.username == username))


def _case(number):
    return db.session.scalar(sa.select(Case).where(Case.number == number))


def test_monthly_job_publishes_once_on_the_first_working_day(october):
    # 2026-11-01 is a Sunday: the first working day of November is Monday 11-02.
    assert publication.publish_due(local(2026, 11, 1, 9)) is None
    assert publication.publish_due(local(2026, 11, 2, 8, 0)) is None
    with clock.travel(local(2026, 11, 2, 8, 31)):
        published = publication.publish_due(local(2026, 11, 2, 8, 31))
        assert published is not None and published.period == "2026-10"
        assert publication.publish_due(local(2026, 11, 2, 9)) is None  # once
    assert publication.publish_due(local(2026, 11, 3, 9)) is None


def test_seed_figures_as_published():
    # 2012: 受理 3330 封，办结 2864 封，办结率达 86%; 2015: 受理 4262 封，办结 4257 封，办结率达 99%.
    assert stats.published_percent(2864, 3330) == "86%"
    assert stats.published_percent(4257, 4262) == "99%"
    assert stats.published_percent(46, 50) == "92%"  # 2020 网站合格率, 50 sites
