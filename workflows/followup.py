"""After 办结: the 12345 centre's 回访, the office's answer to a poor one (重办 or 维持办结),
and requests excluded from evaluation (不合理诉求). Conditions and timeline lines for the
events declared in case_flow.py; a case here has `current_callback` (the latest call
row: status, needs_decision) and `evaluation_excluded`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .vocabulary import CALL_REACHED, CALL_RESOLVED, CALL_SATISFACTION


def callback_due(case, actor, now) -> str | None:
    call = case.current_callback if case.type == "letter" else None
    if call is None or call.status != "due":
        return "该案件没有待进行的回访。"
    return None


def needs_decision(case, actor, now) -> str | None:
    call = case.current_callback
    if call is None or not call.needs_decision:
        return "只有回访为“未解决”或“不满意”且尚未处理的案件可以重办或维持办结。"
    return None


def may_exclude(case, actor, now) -> str | None:
    if case.close_reason != "accepted":
        return "只有已答复办结的诉求可以认定为不合理诉求。"
    if case.evaluation_excluded:
        return "该诉求已认定为不合理诉求，不参与评价。"
    return None


def reached_needs_results(cleaned: dict[str, Any]) -> dict[str, str]:
    if cleaned.get("reached") != "reached":
        return {}
    problems = {}
    if not cleaned.get("resolved"):
        problems["resolved"] = "已接通时请记录诉求是否解决。"
    if not cleaned.get("satisfaction"):
        problems["satisfaction"] = "已接通时请记录满意程度。"
    return problems


def call_details(data: Mapping[str, Any]) -> list[str]:
    out = [f"第 {data['attempt']} 次回访：{CALL_REACHED.get(data.get('reached', ''), '')}"] \
        if "attempt" in data else []
    if data.get("resolved"):
        out.append(f"{CALL_RESOLVED[data['resolved']]} · {CALL_SATISFACTION.get(data.get('satisfaction'), '')}")
    if data.get("gave_up"):
        out.append("已达最多回访次数，不再回访")
    return out
