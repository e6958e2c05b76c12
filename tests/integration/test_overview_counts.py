"""The 督办 page's counts: each list uncapped, and the badge counting a case once even
when it is on several lists (the 不满意 list is read from the ratings' own table)."""

from __future__ import annotations

from casework import clock
from casework.extensions import db
from casework.models import CaseRating
from casework.queries.overview import supervision_counts
from tests.factories import act, build_world, letter, local


def test_a_case_on_two_lists_counts_once_and_a_rated_case_on_none_counts_too(ctx):
    w = build_world()
    with clock.travel(local(2025, 9, 1, 10)):
        late = letter(w.dispatcher)
        act(w.dispatcher, late, "assign", unit_code="zyx")  # long overdue by now
    rated_only = letter(w.dispatcher, subject="路灯不亮")  # on no other list
    letter(w.dispatcher, subject="咨询公积金")  # on none at all
    now = clock.now()
    for case in (late, rated_only):
        db.session.add(CaseRating(case_id=case.id, grade="unsatisfied", rated_at=now))
    db.session.commit()
    counts = supervision_counts(now)
    assert counts["supervision_overdue"] == 1 and counts["supervision_unsatisfied"] == 2
    assert counts["supervision"] == 2  # late is overdue and unsatisfied: once
