"""What an action on a case is, declared once: `EventSpec` (an event a person fires
through the workflow) and `Record` (an entry of the audit trail that no person fires
through the machine: registration, a merged duplicate, the deadline watch's marks).

Everything else reads these declarations: the machine and `allowed_events`, input
validation, the message after success, the form (reply fields, files, how it opens,
what it is filled with), the timeline, the API and its OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from .errors import Invalid
from .fields import Field, clean_fields

# A condition returns None when the event may fire, else a Chinese reason (the event is
# not possible now: 409) or a ready-made error such as Forbidden.
Condition = Callable[[Any, Any, datetime], str | Exception | None]
# Lines the timeline shows for an event, from the data its audit entry stored.
Details = Callable[[Mapping[str, Any]], list[str]]
# What a form shows before the user types: (case, work calendar) -> {field: value}.
Prefill = Callable[[Any, Any], dict[str, Any]]


def no_details(_data: Mapping[str, Any]) -> list[str]:
    return []


@dataclass(frozen=True)
class Record:
    """An audit entry that is not fired through the machine."""

    name: str
    label: str
    details: Details = no_details


@dataclass(frozen=True)
class EventSpec:
    name: str
    label: str
    source: tuple[str, ...]
    dest: str | None
    roles: frozenset[str]
    fields: tuple[Field, ...] = ()
    condition: Condition | None = None
    style: str = "secondary"
    # Cross-field rule: returns {field: message} for input that is invalid as a whole.
    check: Callable[[dict[str, Any]], dict[str, str]] | None = None
    # What the user is told once the action has committed.
    done: str = "操作成功"
    details: Details = no_details
    # The fields that are a reply to the citizen or the office (kept as a draft while typed).
    reply: tuple[str, ...] = ()
    takes_files: bool = False
    # "folded": a summary to click open; "expanded": open at once. An event without
    # required fields is one button either way (its optional note folded away). "panel":
    # not among the case's actions; a page of its own draws it (the publication panel,
    # the writer's rating form).
    opens: Literal["folded", "expanded", "panel"] = "folded"
    # Which unit's members may fire it: the lead unit (主办, `case.unit_id`) or a co-unit
    # (协办). Office roles are not bound by it.
    party: Literal["lead", "co"] = "lead"
    prefill: Prefill | None = field(default=None, compare=False)
    # The question asked before an action that closes or undoes something ({number} is the
    # case); None: no question. Every "danger" action asks one.
    confirm: str | None = None
    # Choices a field offers that come from the case itself (a finding's own problem items):
    # case -> {field: [choice, ...]}.
    options: Callable[[Any], dict[str, list[str]]] | None = field(default=None, compare=False)

    def clean(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        cleaned = clean_fields(self.fields, raw)
        if self.check and (problems := self.check(cleaned)):
            raise Invalid(problems)
        return cleaned

    @property
    def question(self) -> str | None:
        if self.confirm is None and self.style == "danger":
            return f"确定要{self.label} {{number}} 吗？"
        return self.confirm

    @property
    def one_click(self) -> bool:
        return not any(f.required for f in self.fields)


# Timeline details shared by several events.

def unit_details(data: Mapping[str, Any]) -> list[str]:
    return [f"承办单位：{data['unit_name']}"] if "unit_name" in data else []


def co_unit_details(data: Mapping[str, Any]) -> list[str]:
    return [f"协办单位：{co['name']}（{co['due_date']} 前提交协办意见）" for co in data.get("co_units") or ()]


def reason_details(title: str, choices: Mapping[str, str]) -> Details:
    def details(data: Mapping[str, Any]) -> list[str]:
        reason = data.get("reason")
        return [f"{title}：{choices[reason]}"] if reason in choices else []
    return details
