"""One action on several cases at once (批量派单, 批量签收), where that is safe.

Each case is its own transaction through `case_actions.perform`: its own audit entry,
its own clock, its own optimistic-lock check. A case that cannot take the action (another
dispatcher assigned it a moment ago, the unit already signed for it) fails alone, with its
Chinese reason, and the others stand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workflows import case_flow
from workflows.errors import DomainError, Invalid

from . import case_actions, lookup

# Actions whose input is the same for every case and which close nothing: a mistake is
# undone by the next step of the workflow (改派, 退单), never lost.
BULK_EVENTS = frozenset({"assign", "acknowledge"})
MAX_CASES = 100


@dataclass(frozen=True)
class Outcome:
    number: str
    ok: bool
    message: str


def reason_of(exc: DomainError) -> str:
    """The whole Chinese reason of a failure, field messages included."""
    fields = getattr(exc, "fields", None) or {}
    return "".join(fields.values()) if fields else exc.message


def perform_each(actor, event: str, targets: list[tuple[str, int | None]],
                 raw: Mapping[str, Any] | None = None) -> list[Outcome]:
    """Fire `event` with the same input on each (number, version seen) of `targets`, each
    in its own transaction; one outcome per case, in the order given."""
    if event not in BULK_EVENTS:
        raise Invalid({"event": "该操作不能批量执行。"})
    targets = list(dict(targets).items())  # each case once, in the order first given
    if not targets:
        raise Invalid({"numbers": "请至少选择一件。"})
    if len(targets) > MAX_CASES:
        raise Invalid({"numbers": f"一次最多处理 {MAX_CASES} 件。"})
    spec = case_flow.spec(event)
    # What is wrong with the shared input is wrong for all: say it once, change nothing.
    fields = spec.clean(raw or {})
    for f in spec.fields:
        if f.kind == "unit" and fields.get(f.name):
            lookup.active_unit(fields[f.name], f.name)
    out = []
    for number, version in targets:
        try:
            case_actions.perform(actor, number, event, raw or {}, expected_version=version)
        except DomainError as exc:
            out.append(Outcome(number, False, reason_of(exc)))
        else:
            out.append(Outcome(number, True, spec.done))
    return out
