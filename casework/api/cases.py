from __future__ import annotations

from flask import g, jsonify, request

from workflows import case_flow
from workflows.errors import Invalid
from workflows.vocabulary import CASE_TYPES, STATES

from .. import clock
from ..models import Case
from ..queries import case_page
from ..queries.case_list import CaseFilter, case_list
from ..services import case_actions, intake, lookup
from .registry import query, route
from .schemas import case_json, case_summary_json

PER_PAGE = 50


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid({"body": "请求体应为 JSON 对象。"}, "请求体不是有效的 JSON 对象。")
    return body


def _case_view(case: Case, events=None) -> dict:
    allowed = [s.name for s in case_flow.allowed_events(g.api_user, case, clock.now())]
    return case_json(case, allowed, case_page.event_rows(case.id) if events is None else events)


def _case_out(case: Case, status: int = 200):
    return jsonify(_case_view(case)), status


@route("/cases", "POST", "Create a letter, finding or policy task", "Case", status=201,
       request="NewCase")
def create_case():
    case = intake.create_case(g.api_user, json_body())
    # Answered without reading back: every event of a new case is in hand.
    return jsonify(_case_view(case, case_page.own_event_rows(case.events, g.api_user))), 201


@route("/cases/<number>", "GET", "A case with its timeline and the events this user may fire", "Case",
       errors=(401, 404))
def get_case(number: str):
    return _case_out(lookup.case_for(g.api_user, number))


@route("/cases/<number>/events/<event>", "POST", "Fire a workflow event", "Case",
       errors=(400, 401, 403, 404, 409))
def fire_event(number: str, event: str):
    body = json_body()
    version = body.pop("version", None)
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise Invalid({"version": "version 应为整数。"})
    # The response is built inside the action's transaction from the rows it holds.
    return jsonify(case_actions.perform(g.api_user, number, event, body, expected_version=version,
                                        read=_case_view))


@route("/cases", "GET", "Cases this user may see, newest first", "CasePage", errors=(400, 401), query=[
    query("state", {"type": "string", "enum": list(STATES)}, "state"),
    query("unit", {"type": "string"}, "unit code"),
    query("type", {"type": "string", "enum": list(CASE_TYPES)}, "case type"),
    query("overdue", {"type": "boolean"}, "only overdue (true) or not overdue (false)"),
    query("page", {"type": "integer", "minimum": 1}, "page number, from 1"),
    query("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "page size (max 100)"),
    query("after", {"type": "string"}, "cursor: the `next` of the previous page (keyset; not with page)"),
    query("count", {"type": "string", "enum": ["exact"]},
          "exact: count every match (otherwise the count stops at 1000 and total_capped says so)"),
])
def list_cases():
    args = request.args
    errors = {}
    state, case_type, overdue = args.get("state"), args.get("type"), args.get("overdue")
    if state is not None and state not in STATES:
        errors["state"] = "状态取值无效。"
    if case_type is not None and case_type not in CASE_TYPES:
        errors["type"] = "类型取值无效。"
    if overdue is not None and overdue not in ("true", "false"):
        errors["overdue"] = "overdue 应为 true 或 false。"
    page, per_page = _positive(args, "page", 1, errors), _positive(args, "per_page", PER_PAGE, errors)
    if per_page > 100:
        errors["per_page"] = "per_page 不能大于 100。"
    after = _positive(args, "after", 0, errors) if "after" in args else None
    if after is not None and page > 1:
        errors["after"] = "after 与 page 不能同时使用。"
    count = args.get("count")
    if count is not None and count != "exact":
        errors["count"] = "count 只能为 exact。"
    if errors:
        raise Invalid(errors)
    wanted = CaseFilter(state, case_type, args.get("unit"), None if overdue is None else overdue == "true",
                        page, per_page, after, count == "exact")
    found = case_list(g.api_user, wanted, clock.now())
    return jsonify(items=[case_summary_json(c) for c in found.rows], page=page, per_page=per_page,
                   total=found.total, total_capped=found.capped,
                   next=str(found.next_after) if found.next_after is not None else None)


def _positive(args, name: str, default: int, errors: dict) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1 or int(raw) > 1_000_000:
        errors[name] = f"{name} 应为正整数。"
        return default
    return int(raw)
