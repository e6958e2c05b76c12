"""For the dispatcher: letters like each queued one, whatever their arrival order (a 并单
suggestion), and the unit that answered the most similar letters (a suggested assignee)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import Case, Unit
from ..search import engine
from .knowledge import analyzed, letter_query

RECENT_DAYS = 30
ANSWERED_DAYS = 365
MIN_SIMILAR = 0.5   # share of the letter's information another letter must cover
SHOWN = 5


@dataclass
class Similar:
    case: Case
    score: float | None   # None: same phone, similar subject (the old duplicate hint)

    @property
    def percent(self) -> int | None:
        return None if self.score is None else int(self.score * 100)


@dataclass
class Suggestion:
    unit: Unit
    letters: int


@dataclass
class Hints:
    similar: list[Similar] = field(default_factory=list)
    assignee: Suggestion | None = None


def _open_or_recent(case: Case, now: datetime) -> engine.Scope:
    return engine.Scope(letters=True, join_cases=True, where=(
        "c.id != :self", "(c.state != 'closed' OR d.at >= :recent)",
        "(c.close_reason IS NULL OR c.close_reason != 'merged')"),
        params=(("self", case.id), ("recent", now - timedelta(days=RECENT_DAYS))))


def _answered(case: Case, now: datetime) -> engine.Scope:
    return engine.Scope(letters=True, join_cases=True, where=(
        "c.id != :self", "c.unit_id IS NOT NULL", "c.close_reason = 'accepted'", "d.at >= :since"),
        params=(("self", case.id), ("since", now - timedelta(days=ANSWERED_DAYS))))


def same_phone(cases: list[Case], days: int = RECENT_DAYS, shown: int = 20) -> dict[int, list[Case]]:
    """For each case, letters from the same phone with a similar subject received within
    `days` before or after it: a letter registered late (a phone call typed in with its
    real, earlier receipt time) still meets the web letter it repeats. One query."""
    from difflib import SequenceMatcher

    with_phone = [c for c in cases if c.citizen_phone]
    if not with_phone:
        return {}
    window = timedelta(days=days)
    candidates = db.session.scalars(sa.select(Case).where(
        Case.citizen_phone.in_({c.citizen_phone for c in with_phone}), Case.type == "letter",
        Case.received_at >= min(c.received_at for c in with_phone) - window,
        Case.received_at <= max(c.received_at for c in with_phone) + window)
        .order_by(Case.received_at.desc())).all()
    found = {}
    for case in with_phone:
        near = [c for c in candidates if c.citizen_phone == case.citizen_phone and c.id != case.id
                and abs(c.received_at - case.received_at) <= window][:shown]
        found[case.id] = [c for c in near if SequenceMatcher(None, c.subject, case.subject).ratio() >= 0.5]
    return found


def hints(cases: list[Case], now: datetime) -> dict[int, Hints]:
    """For each queued letter: similar letters (same phone first, then by text) and the
    suggested unit. A few indexed searches per letter; one query loads what they found."""
    phone = same_phone(cases)
    found: dict[int, list[tuple[int, float | None]]] = {}
    votes: dict[int, dict[int, float]] = {}
    for case in cases:
        a = analyzed(letter_query(case.subject, case.body))
        pairs = [(c.id, None) for c in phone.get(case.id, [])]
        for hit in engine.search(a, _open_or_recent(case, now), limit=SHOWN,
                                 min_score=MIN_SIMILAR):
            if all(hit.ref_id != p for p, _ in pairs):
                pairs.append((hit.ref_id, hit.score))
        found[case.id] = pairs[:SHOWN]
        answered = engine.search(a, _answered(case, now), limit=20, min_score=MIN_SIMILAR)
        votes[case.id] = {h.ref_id: h.score for h in answered}
    ids = {i for pairs in found.values() for i, _ in pairs} | {i for v in votes.values() for i in v}
    loaded = {c.id: c for c in db.session.scalars(sa.select(Case).options(sa.orm.joinedload(Case.unit))
                                                   .where(Case.id.in_(ids)))} if ids else {}
    out = {}
    for case in cases:
        h = Hints([Similar(loaded[i], s) for i, s in found[case.id] if i in loaded])
        tally: dict[int, list[float]] = defaultdict(list)
        for case_id, score in votes[case.id].items():
            if (c := loaded.get(case_id)) and c.unit is not None and c.unit.active:
                tally[c.unit_id].append(score)
        if tally:
            best = max(tally, key=lambda u: (len(tally[u]), sum(tally[u])))
            unit = next(loaded[i].unit for i in votes[case.id] if i in loaded and loaded[i].unit_id == best)
            h.assignee = Suggestion(unit, len(tally[best]))
        out[case.id] = h
    return out
