"""A letter as its writer sees it: states and steps in plain words.

The office's states say who must act next (待派单, 待审核, 退回重办); a citizen wants to
know what happened to the letter. Internal quality control (a reply the office returned,
a draft the leader rejected) is not a step of the citizen's letter: only the accepted
answer is. Pure functions of a case-like object and its events.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .clock import due_date_of
from .public_side import RATINGS, answered
from .public_side import UNSATISFIED_REASONS as UNSATISFIED_REASONS  # the words a writer reads
from .vocabulary import DISMISS_REASONS

RECEIVED, TRANSFERRED, HANDLING, ANSWERED, CLOSED = "已受理", "已转办", "办理中", "已答复", "已办结"
DISMISSED, MERGED = "不予受理", "已合并"


# One line for each category a writer can choose, so the choice is informed, not guessed.
CATEGORY_HINTS = {
    "consultation": "询问政策规定、办事流程、办理条件等",
    "help": "生活中遇到困难，请政府部门帮助解决",
    "complaint": "对单位或工作人员的行为、服务不满意",
    "report": "反映违法违规的行为或线索",
    "suggestion": "对政府工作和城市建设提出意见建议",
}


def reply_accepted(case) -> bool:
    """The office accepted a reply: the writer may read it (and rate once it is answered)."""
    return case.state == "reviewed" or bool(answered(case))


def state(case) -> str:
    if case.state == "closed":
        return {"dismissed": DISMISSED, "merged": MERGED}.get(case.close_reason, CLOSED)
    if case.state == "reviewed":
        return ANSWERED
    if case.state == "opened":
        return RECEIVED
    if case.state == "assigned" and case.acknowledged_at is None:
        return TRANSFERRED
    return HANDLING


def handling_text(days: int | None) -> str:
    """办理用时 as published: a same-day answer is 当日办结, not "0 个工作日"."""
    if days is None:
        return "—"
    return "当日办结" if days == 0 else f"{days} 个工作日"


def limit_text(days: int | None) -> str:
    if days is None:
        return "按规定时限"
    return "当日" if days == 0 else f"{days} 个工作日内"


def after_dispatch(days: int | None) -> str:
    """When the answer is due, before a unit has it: 派单后 5 个工作日内."""
    return "派单后当日" if days == 0 else f"派单后 {limit_text(days)}"


def step(event: str, data: Mapping[str, Any], comment: str | None = None) -> str | None:
    """The citizen's words for one audit event, or None for an internal step."""
    if event == "create":
        return "收到来信，已受理"
    if event == "assign":
        return f"已转交{data.get('unit_name', '承办单位')}办理"
    if event == "reassign":
        return f"改由{data.get('unit_name', '其他单位')}办理"
    if event == "acknowledge":
        return "承办单位已签收，正在办理"
    if event == "suspend":
        return "暂停办理，办理期限相应顺延"
    if event == "resume":
        return "恢复办理"
    if event in ("extend", "decide_extension") and data.get("due_at") and data.get("approved", True):
        return f"办理期限延长至 {due_date_of(datetime.fromisoformat(data['due_at'])):%Y-%m-%d}"
    if event == "accept":
        return "承办单位已答复"
    if event == "close":
        return "已办结"
    if event == "dismiss":
        return f"不予受理：{DISMISS_REASONS.get(data.get('reason', ''), '不属于受理范围')}"
    if event == "merge":
        return f"与同一诉求的来信 {data.get('primary', '')} 合并办理"
    if event == "call_back" and data.get("reached") == "reached":
        return "12345 已回访"
    if event == "reopen":
        return "根据回访情况，重新交承办单位办理"
    if event == "rate":
        return f"您已评价：{RATINGS.get(data.get('rating', ''), '')}"
    if event == "publish_answer":
        return "答复已公开（已去除个人信息）"
    return None
