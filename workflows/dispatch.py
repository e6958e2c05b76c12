"""Dispatching a letter: the 派单目录 an assignment follows, 主办/协办 and 退单 — the
fields, conditions and timeline lines of the events case_flow.py declares for them. A
case here has `unit_id`, `disputes` and `open_dispute` (a unit's 退单 waiting for the
dispatcher), and `co_unit_for(unit_id)` (the co-unit's row)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .fields import Field

# Which catalogue entry a dispatch followed, and the office's reason for sending a city
# department's matter down to a county/township unit (checked by the handler, which
# knows the catalogue and the unit).
CATALOGUE_FIELDS = (
    Field("catalogue_entry", "派单目录事项编号（按目录派单时）", "int", required=False, minimum=1,
          maximum=2**31 - 1, folded=True),
    Field("override_reason", "下派基层的理由（仅电子政务办公室）", "textarea", required=False,
          max_length=1000, folded=True))
# The units that help the lead (协办): the lead replies for all of them.
CO_UNITS_FIELD = Field("co_unit_codes", "协办单位", "units", required=False)
# States in which the lead is still working, so co-units can still be added and heard.
LEAD_WORKING = ("assigned", "returned", "approving", "suspended")


def no_open_dispute(case, actor, now) -> str | None:
    if case.open_dispute is not None:
        return "本单位已提出退单，等待派单员审核。"
    # A refusal is the dispatcher's answer: the unit handles the case, it does not ask again.
    if any(d.unit_id == case.unit_id and d.decision == "refused" for d in case.disputes):
        return "派单员已驳回本单位的退单，请继续办理。"
    return None


def dispute_open(case) -> str | None:
    return "没有待审核的退单。" if case.open_dispute is None else None


def co_opinion_open(case, actor, now) -> str | None:
    co = case.co_unit_for(actor.unit_id)
    return "本单位已提交协办意见。" if co is not None and co.opinion_at is not None else None


def dispute_details(data: Mapping[str, Any]) -> list[str]:
    return [f"退单审核：{data['dispute']}"] if data.get("dispute") else []


def catalogue_details(data: Mapping[str, Any]) -> list[str]:
    out = []
    if data.get("matter"):
        out.append(f"依据派单目录第 {data.get('catalogue_version')} 版：{data['matter']}")
    if data.get("override_reason"):
        out.append(f"电子政务办公室同意下派基层：{data['override_reason']}")
    return out
