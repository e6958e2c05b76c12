"""Reference data kept per process (casework/reference.py): a change committed anywhere,
also by SQL by hand, is seen at the next request; a transaction that changes it reads
its own change and leaves nothing behind when it rolls back."""

from __future__ import annotations

import sqlalchemy as sa

from casework.extensions import db
from casework.models import ImproperPhrase
from casework.queries.deadline_rules import active_rules
from casework.services import quality


def _in_new_context(app, call):
    """`call()` in a fresh app context (the next request), and the tables it read."""
    read = []

    def listen(conn, cursor, statement, params, context, many):
        read.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", listen)
        try:
            return call(), " ".join(read)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listen)


def _days(rules) -> dict[int, int | None]:
    return {r.id: r.days for r in rules}


def test_rules_are_kept_until_a_change_by_sql_by_hand_commits(app):
    first, read = _in_new_context(app, active_rules)
    assert first and "deadline_rules" in read
    again, read = _in_new_context(app, active_rules)
    assert _days(again) == _days(first) and "deadline_rules" not in read  # kept: one versions read
    rule = next(r for r in first if r.days is not None)
    with app.app_context():
        hand = sa.create_engine(db.engine.url)
        with hand.begin() as conn:  # another process, by SQL by hand
            conn.execute(sa.text("UPDATE deadline_rules SET days = days + 7 WHERE id = :id"), {"id": rule.id})
        hand.dispose()
    changed, read = _in_new_context(app, active_rules)
    assert _days(changed)[rule.id] == rule.days + 7 and "deadline_rules" in read


def test_a_transaction_reads_its_own_change_and_a_rollback_leaves_nothing_kept(app):
    def within():
        before = quality.improper_phrases()
        db.session.add(ImproperPhrase(phrase="研究研究再说"))
        during = quality.improper_phrases()  # not flushed yet: the session's own change counts
        db.session.flush()
        flushed = quality.improper_phrases()
        db.session.rollback()
        return before, during, flushed

    (before, during, flushed), _ = _in_new_context(app, within)
    assert "研究研究再说" not in before and "研究研究再说" in during and "研究研究再说" in flushed
    after, _ = _in_new_context(app, quality.improper_phrases)
    assert "研究研究再说" not in after


def test_a_counter_read_inside_a_rolled_back_change_is_not_kept(app):
    """The trigger raises the counter inside the transaction, which sees its own raise:
    read then and kept past the rollback, it would file the old phrases under a number
    the next real change commits."""
    from casework import calendar

    def rolled_back():
        db.session.add(ImproperPhrase(phrase="研究研究再说"))
        db.session.flush()
        calendar.current()  # reads every counter: 'reference' as this transaction raised it
        db.session.rollback()
        return quality.improper_phrases()

    kept, _ = _in_new_context(app, rolled_back)
    assert "研究研究再说" not in kept
    with app.app_context():
        hand = sa.create_engine(db.engine.url)
        with hand.begin() as conn:  # the next real change, by SQL by hand
            conn.execute(sa.text("INSERT INTO improper_phrases (phrase, created_at) VALUES ('回去等通知吧', :at)"),
                         {"at": "2026-12-01 00:00:00"})
        hand.dispose()
    after, _ = _in_new_context(app, quality.improper_phrases)
    assert "回去等通知吧" in after


def test_a_set_based_removal_is_read_fresh_in_its_transaction(app):
    from casework.services.tx import transaction

    with app.app_context():
        quality.add_phrase("研究研究再说")
        assert "研究研究再说" in quality.improper_phrases()  # kept
        with transaction():  # one unit of work: the removal is not committed yet
            assert quality.remove_phrase("研究研究再说")
            inside = quality.improper_phrases()
    assert "研究研究再说" not in inside
