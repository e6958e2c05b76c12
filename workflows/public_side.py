"""A letter's public side as workflow events: the office publishes the answer (with
personal data masked) or withdraws it, and the writer rates it once. None of them moves
the state; each is declared here once, like every other action on a case.

A case here also has `consent_publish`, `publication` (None, or a row with
`published_at`) and `rating` (None until rated)."""

from __future__ import annotations

from typing import Any

from .events import EventSpec
from .fields import Field
from .vocabulary import ADMIN, CITIZEN, REVIEWER, STATES

RATINGS = {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}
# Why a writer was not satisfied (national 12345 evaluation asks for reasons, not just a
# grade): a few choices a person can tick, and 其他 with words.
UNSATISFIED_REASONS = {
    "unsolved": "问题没有解决",
    "off_topic": "答复没有回应我的问题",
    "slow": "办理时间太长",
    "attitude": "推诿敷衍、态度不好",
    "unclear": "答复看不懂",
    "other": "其他原因",
}


def answered(case) -> Any:
    """A case closed with an accepted answer. Written with `&` so that it reads the same
    on a case (a bool) and on the mapped class (an SQL condition)."""
    return (case.state == "closed") & (case.close_reason == "accepted")


def _publishable(case, actor, now) -> str | None:
    if not case.consent_publish:
        return "来信人未同意公开，不能公开该来信。"
    if not answered(case):
        return "只有审核通过并办结的来信可以公开。"
    return None


def _published(case, actor, now) -> str | None:
    published = case.publication is not None and case.publication.published_at is not None
    return None if published else "该来信未公开。"


def _ratable(case, actor, now) -> str | None:
    if not answered(case):
        return "来信办结后才能评价。"
    if case.rating is not None:
        return "您已经评价过了，每封来信只能评价一次。"
    return None


def _reasons_given(cleaned: dict[str, Any]) -> dict[str, str]:
    # 不满意 says why (at least one reason; 其他 needs words); other grades keep no reason.
    reasons = (cleaned.get("reasons") or []) if cleaned.get("rating") == "unsatisfied" else []
    if cleaned.get("rating") == "unsatisfied" and not reasons:
        return {"reasons": "请至少选择一项不满意的原因。"}
    if "other" in reasons and not cleaned.get("comment"):
        return {"comment": "选择“其他原因”时，请写下具体原因。"}
    return {}


def rating_details(data) -> list[str]:
    if data.get("rating") not in RATINGS:
        return []
    reasons = [UNSATISFIED_REASONS.get(r, r) for r in data.get("reasons") or ()]
    return [f"评价：{RATINGS[data['rating']]}" + (f"（{'、'.join(reasons)}）" if reasons else "")]


OFFICE_REVIEW = frozenset({ADMIN, REVIEWER})

SPECS: tuple[EventSpec, ...] = (
    # The texts come from the case page's preview (queries/publication_preview.py) and are
    # masked again when published: what the reviewer edited cannot let anything slip.
    EventSpec("publish_answer", "公开答复", ("closed",), None, OFFICE_REVIEW,
              (Field("subject", "公开标题", max_length=200),
               Field("body", "公开来信内容", "textarea", max_length=10000),
               Field("reply", "公开答复", "textarea", max_length=20000)),
              condition=_publishable, style="primary", done="答复已公开（已再次自动遮盖个人信息）。",
              opens="panel"),
    EventSpec("unpublish_answer", "撤回公开", ("closed",), None, OFFICE_REVIEW, condition=_published,
              style="danger", done="已撤回公开。", opens="panel"),
    # From any state: before the answer, the writer is told to wait for it (not that the
    # state forbids it). The public query page checked that this browser follows the letter.
    EventSpec("rate", "来信人评价", tuple(STATES), None, frozenset({CITIZEN}),
              (Field("rating", "评价", "choice", choices=tuple(RATINGS.items())),
               Field("reasons", "不满意的原因", "choices", required=False,
                     choices=tuple(UNSATISFIED_REASONS.items())),
               Field("comment", "评价意见", "textarea", required=False, max_length=500)),
              condition=_ratable, check=_reasons_given, done="感谢您的评价！", details=rating_details,
              opens="panel"),
)
