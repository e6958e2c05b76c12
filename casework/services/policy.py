"""The deadline policy as the office set it: rules in the database, history kept."""

from __future__ import annotations

from workflows.deadlines import DEFAULT_RULES, FIXED_DATE, Rule, select_rule
from workflows.errors import Forbidden, Invalid, NotFound

from .. import clock
from ..extensions import db
from ..models import Case, DeadlineRule
from ..permissions import can_administer
from ..queries.deadline_rules import active_rules
from .quality import ensure_default_phrases
from .synonyms import ensure_defaults as ensure_default_synonyms
from .tx import transaction


def rule_for(case: Case, stage: str) -> Rule:
    try:
        return select_rule(active_rules(), case.type, stage, case.category, case.channel)
    except LookupError:
        raise Invalid({"deadline": "没有适用于该案件的办理时限规则，请管理员先配置。"}) from None


def ensure_defaults() -> int:
    """Seed the default rules (and the default improper-phrase and synonym lists); returns
    how many rules were added. A rule the office already has (in force or superseded) is
    left alone: only limits that never existed, such as a stage added later, are seeded."""
    ensure_default_phrases()
    ensure_default_synonyms()
    existing = set(db.session.execute(db.select(DeadlineRule.case_type, DeadlineRule.stage,
                                                DeadlineRule.category, DeadlineRule.channel)).all())
    missing = [r for r in DEFAULT_RULES if (r.case_type, r.stage, r.category, r.channel) not in existing]
    if not missing:
        return 0
    with transaction():
        for rule in missing:
            db.session.add(DeadlineRule(case_type=rule.case_type, stage=rule.stage,
                                        category=rule.category, channel=rule.channel,
                                        kind=rule.kind, days=rule.days, label=rule.label,
                                        from_receipt=rule.from_receipt,
                                        escalate_after_days=rule.escalate_after_days,
                                        effective_from=clock.now()))
    return len(missing)


def change_rule(actor, rule_id: int, days: int, label: str | None = None) -> DeadlineRule:
    """Supersede a rule. Running clocks keep the rule they started with; cases assigned
    from now on get the new one."""
    if not can_administer(actor):
        raise Forbidden("只有管理员可以修改办理时限。")
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 365:
        raise Invalid({"days": "工作日数应为 0 到 365 之间的整数。"})
    with transaction():
        old = db.session.get(DeadlineRule, rule_id)
        if old is None or old.superseded_at is not None:
            raise NotFound("该时限规则不存在或已被替换。")
        if old.kind == FIXED_DATE:
            raise Invalid({"days": "该规则按通报规定的日期计算，不按工作日数。"})
        now = clock.now()
        old.superseded_at = now
        new = DeadlineRule(case_type=old.case_type, stage=old.stage, category=old.category,
                           channel=old.channel, kind=old.kind, days=days,
                           label=label or old.label, from_receipt=old.from_receipt,
                           escalate_after_days=old.escalate_after_days,
                           effective_from=now,
                           created_by_id=getattr(actor, "id", None))
        db.session.add(new)
    return new
