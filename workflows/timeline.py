"""How each entry of a case's audit trail reads: its label and its detail lines, from the
declarations of the events (case_flow.SPECS), the deadline watch (watch.STEPS) and the
entries that are recorded without the machine (RECORDS)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import case_flow, watch
from .events import Record
from .vocabulary import STATES


def _duplicate(data: Mapping[str, Any]) -> list[str]:
    return [f"重复件 {data['duplicate']}"] if data.get("duplicate") else []


def _recomputed(data: Mapping[str, Any]) -> list[str]:
    if "new_due_date" not in data:
        return []
    return [f"期限 {data['old_due_date']} → {data['new_due_date']}"]


RECORDS: tuple[Record, ...] = (
    Record("create", "登记"),
    Record("merged_in", "并入重复件", _duplicate),
    Record("deadline_recomputed", "重算办理期限", _recomputed),
    *(step.record for step in watch.STEPS if step.record),
    *(pending.record for pending in case_flow.PENDING),
    Record("co_unit_late", "协办意见超期", lambda d: [f"协办单位：{d['unit_name']}"] if "unit_name" in d else []),
)

ENTRIES: dict[str, Any] = {r.name: r for r in RECORDS} | case_flow.BY_NAME


def label(event: str) -> str:
    entry = ENTRIES.get(event)
    return entry.label if entry else event


def details(event: str, data: Mapping[str, Any] | None, from_state: str | None,
            to_state: str | None) -> list[str]:
    entry = ENTRIES.get(event)
    out = entry.details(data or {}) if entry else []
    if from_state and to_state and from_state != to_state:
        out.append(f"{STATES[from_state]} → {STATES[to_state]}")
    return out
