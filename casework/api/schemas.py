"""The JSON the API speaks: each serializer sits next to the JSON schema it produces
(tests validate real responses against these schemas, so the two cannot drift)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from workflows import case_flow, timeline
from workflows.fields import Field
from workflows.vocabulary import CASE_TYPES, CHANNELS, LETTER_CATEGORIES, STATES

from ..models import Case, Unit

TIME = {"type": "string", "format": "date-time", "nullable": True}
UNIT_REF = {"type": "object", "nullable": True, "properties": {
    "code": {"type": "string"}, "name": {"type": "string"}}, "required": ["code", "name"]}


def iso(value: datetime | None) -> str | None:
    """Every instant leaves the API in UTC, whatever offset it came in with."""
    return value.astimezone(UTC).isoformat() if value else None


UNIT = {"type": "object", "required": ["code", "name", "kind", "active"], "properties": {
    "code": {"type": "string"}, "name": {"type": "string"}, "short_name": {"type": "string", "nullable": True},
    "kind": {"type": "string"}, "parent": {"type": "string", "nullable": True}, "active": {"type": "boolean"}}}


def unit_json(unit: Unit) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
            "parent": unit.parent.code if unit.parent else None, "active": unit.active}


EVENT = {"type": "object", "required": ["event", "label", "at"], "properties": {
    "event": {"type": "string"}, "label": {"type": "string"}, "actor": {"type": "string", "nullable": True},
    "from_state": {"type": "string", "nullable": True}, "to_state": {"type": "string", "nullable": True},
    "at": {"type": "string", "format": "date-time"}, "comment": {"type": "string", "nullable": True},
    "data": {"type": "object"}}}

CASE_SUMMARY_PROPERTIES = {
    "number": {"type": "string", "example": "XJ-2026-000123"},
    "type": {"type": "string", "enum": list(CASE_TYPES)},
    "category": {"type": "string", "enum": list(LETTER_CATEGORIES), "nullable": True},
    "channel": {"type": "string", "enum": list(CHANNELS)},
    "subject": {"type": "string"},
    "state": {"type": "string", "enum": list(STATES)},
    "state_label": {"type": "string"},
    "unit": UNIT_REF,
    "received_at": {"type": "string", "format": "date-time"},
    "assigned_at": TIME,
    "due_at": {**TIME, "description": "24:00 Asia/Shanghai of the due date, as an instant"},
    "due_date": {"type": "string", "format": "date", "nullable": True},
    "due_provisional": {"type": "boolean"},
    "overdue": {"type": "boolean"},
    "on_time": {"type": "boolean", "nullable": True},
    "replied_at": TIME,
    "closed_at": TIME,
    "return_count": {"type": "integer"},
    "version": {"type": "integer"},
}
CASE_SUMMARY = {"type": "object", "required": list(CASE_SUMMARY_PROPERTIES), "properties": CASE_SUMMARY_PROPERTIES}
CO_UNIT = {"type": "object", "required": ["code", "name", "due_date", "opinion", "opinion_at", "late"],
           "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                          "due_date": {"type": "string", "format": "date",
                                       "description": "the co-unit's own deadline (24:00 Asia/Shanghai)"},
                          "opinion": {"type": "string", "nullable": True, "description": "协办意见"},
                          "opinion_at": TIME, "late": {"type": "boolean"}}}
DISPUTE = {"type": "object", "nullable": True, "description": "a 退单 waiting for the dispatcher's review",
           "required": ["unit", "reason", "requested_at"],
           "properties": {"unit": {"type": "string"}, "reason": {"type": "string"},
                          "requested_at": {"type": "string", "format": "date-time"}}}
CASE = {"type": "object", "required": [*CASE_SUMMARY_PROPERTIES, "body", "allowed_events", "events",
                                       "co_units", "open_dispute"],
        "properties": {**CASE_SUMMARY_PROPERTIES,
                       "body": {"type": "string"},
                       "co_units": {"type": "array", "items": CO_UNIT, "description": "协办单位"},
                       "open_dispute": DISPUTE,
                       "citizen_name": {"type": "string", "nullable": True},
                       "citizen_phone": {"type": "string", "nullable": True},
                       "published_at": {**TIME, "description": "when the answer went on the public portal "
                                                                "(null: never, or withdrawn)"},
                       "rating": {"type": "string", "nullable": True, "description": "the writer's rating"},
                       "allowed_events": {"type": "array", "items": {"type": "string"}},
                       "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}}


def case_summary_json(case: Case) -> dict[str, Any]:
    return {
        "number": case.number, "type": case.type, "category": case.category, "channel": case.channel,
        "subject": case.subject, "state": case.state, "state_label": case.state_label,
        "unit": {"code": case.unit.code, "name": case.unit.name} if case.unit else None,
        "received_at": iso(case.received_at), "assigned_at": iso(case.assigned_at),
        "due_at": iso(case.due_at), "due_date": case.due_date.isoformat() if case.due_date else None,
        "due_provisional": case.due_provisional, "overdue": case.overdue, "on_time": case.on_time,
        "replied_at": iso(case.replied_at), "closed_at": iso(case.closed_at),
        "return_count": case.return_count, "version": case.version,
    }


def case_json(case: Case, allowed: list[str], events) -> dict[str, Any]:
    dispute = case.open_dispute
    return {**case_summary_json(case), "body": case.body, "citizen_name": case.citizen_name,
            "citizen_phone": case.citizen_phone,
            # Only a consented letter is ever published, only an answered one rated: no
            # query for the other cases.
            "published_at": iso(case.publication.published_at)
            if case.consent_publish and case.publication else None,
            "rating": case.rating.grade if case_flow.answered(case) and case.rating else None,
            "allowed_events": allowed,
            "co_units": [{"code": co.unit.code, "name": co.unit.name, "due_date": co.due_date.isoformat(),
                          "opinion": co.opinion, "opinion_at": iso(co.opinion_at), "late": co.late_at is not None}
                         for co in case.co_units],
            "open_dispute": {"unit": dispute.unit.code, "reason": dispute.reason,
                             "requested_at": iso(dispute.requested_at)} if dispute else None,
            "events": [{"event": e.event, "label": timeline.label(e.event),
                        "actor": e.actor_name, "from_state": e.from_state,
                        "to_state": e.to_state, "at": iso(e.at), "comment": e.comment,
                        "data": e.data or {}} for e in events]}


CASE_PAGE = {"type": "object", "required": ["items", "page", "per_page", "total", "total_capped", "next"],
             "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/CaseSummary"}},
    "page": {"type": "integer"}, "per_page": {"type": "integer"},
    "total": {"type": "integer", "description": "matches, counted up to 1000 unless count=exact"},
    "total_capped": {"type": "boolean", "description": "true: more than `total` match (shown as 1000+)"},
    "next": {"type": "string", "nullable": True, "description": "pass as `after` for the next page; null on the last"}}}

ERROR = {"type": "object", "required": ["error", "message"], "properties": {
    "error": {"type": "string"}, "message": {"type": "string", "description": "中文说明"},
    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
    "allowed_events": {"type": "array", "items": {"type": "string"}}}}

CALENDAR = {"type": "object", "required": ["year", "days"], "properties": {
    "year": {"type": "integer"},
    "days": {"type": "array", "items": {"type": "object", "required": ["date", "working", "source"], "properties": {
        "date": {"type": "string", "format": "date"}, "working": {"type": "boolean"},
        "source": {"type": "string", "enum": ["official", "override", "provisional"]},
        "note": {"type": "string"}}}}}}


def field_schema(field: Field) -> dict[str, Any]:
    """JSON schema of one workflow/intake field, from its declaration."""
    text = {"type": "string", "maxLength": field.max_length}
    return {
        "choice": {"type": "string", "enum": [k for k, _ in field.choices]},
        "choices": {"type": "array", "items": {"type": "string", "enum": [k for k, _ in field.choices]}},
        "int": {"type": "integer", **({"minimum": field.minimum} if field.minimum is not None else {}),
                **({"maximum": field.maximum} if field.maximum is not None else {})},
        "date": {"type": "string", "format": "date"},
        "datetime": {"type": "string", "format": "date-time"},
        "bool": {"type": "boolean"},
        "units": {"type": "array", "items": {"type": "string", "maxLength": 32}, "maxItems": 10,
                  "description": "unit codes (a string with codes separated by commas is accepted too)"},
        "items": {"type": "array", "items": text, "minItems": 1},
    }.get(field.kind, text) | {"description": field.label}


def fields_schema(fields: tuple[Field, ...], extra: dict | None = None) -> dict[str, Any]:
    properties = {f.name: field_schema(f) for f in fields} | (extra or {})
    required = [f.name for f in fields if f.required]
    return {"type": "object", "properties": properties, **({"required": required} if required else {})}


def event_schema(name: str) -> dict[str, Any]:
    version = {"version": {"type": "integer", "description": "the case version you saw; 409 if it changed"}}
    return fields_schema(case_flow.BY_NAME[name].fields, version)

MONTHLY_STATS = {"type": "object", "required": ["period", "version", "data", "versions"], "properties": {
    "period": {"type": "string"}, "version": {"type": "integer"}, "note": {"type": "string", "nullable": True},
    "published_at": {"type": "string", "format": "date-time"}, "versions": {"type": "array", "items": {"type": "integer"}},
    "data": {"type": "object", "description": "overall, units, channels (counts and published rate texts), paragraph"}}}

INSPECTION_ROUND = {"type": "object", "required": ["published", "data", "versions"], "properties": {
    "published": {"type": "boolean", "description": "false: the round as it stands; true: a version as issued"},
    "version": {"type": "integer"}, "note": {"type": "string", "nullable": True},
    "published_at": {"type": "string", "format": "date-time"}, "number": {"type": "string", "nullable": True},
    "versions": {"type": "array", "items": {"type": "integer"}},
    "data": {"type": "object", "required": ["round", "summary", "sites", "accounts"],
             "description": "summary (checked, registered, failed, 检查率, 合格率, the notice's line), sites and "
                            "accounts with the source text and verdict of each", "properties": {
                 "round": {"type": "object"}, "summary": {"type": "object"},
                 "sites": {"type": "array", "items": {"type": "object"}},
                 "accounts": {"type": "array", "items": {"type": "object"}}}}}}
