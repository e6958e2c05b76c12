"""The OpenAPI 3 document, assembled with apispec from the route registry, the JSON
schemas next to the serializers, and the workflow's event definitions (one path per
event, with the fields the workflow declares)."""

from __future__ import annotations

from apispec import APISpec

from workflows import case_flow
from workflows.vocabulary import CITIZEN

from ..services import intake
from . import schemas
from .reference import YEARS
from .registry import COMPONENTS, OPERATIONS

ERROR_TEXT = {400: "输入有误", 401: "缺少或无效的令牌", 403: "无权执行", 404: "不存在或无权查看",
              409: "当前状态不允许该操作，或案件已被他人更新（附 allowed_events）"}


PATH_SCHEMAS = {"year": {"type": "integer", "minimum": YEARS[0], "maximum": YEARS[1]},
                "round_id": {"type": "integer", "minimum": 1}}


def _new_case_schema() -> dict:
    variants = []
    for case_type, fields in (("letter", intake.LETTER_FIELDS), ("finding", intake.FINDING_FIELDS),
                              ("policy", intake.POLICY_FIELDS)):
        schema = schemas.fields_schema(fields, {"type": {"type": "string", "enum": [case_type]}})
        schema["required"] = ["type", *schema.get("required", [])]
        variants.append(schema)
    return {"oneOf": variants}


def _responses(status: int, response: str | None, errors) -> dict:
    out = {str(status): {"description": "OK",
                         **({"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{response}"}}}}
                            if response else {})}}
    for code in errors:
        out[str(code)] = {"description": ERROR_TEXT[code],
                          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return out


def _parameters(path: str) -> list[dict]:
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    return [{"name": n, "in": "path", "required": True, "schema": PATH_SCHEMAS.get(n, {"type": "string"})}
            for n in names]


def build() -> dict:
    spec = APISpec(title="casework API", version="1.0.0", openapi_version="3.0.3",
                   info={"description": "政务网站与信件督办系统接口。所有请求使用 `Authorization: Bearer <token>`，"
                                        "令牌由 `flask --app wsgi users token USERNAME` 签发。"},
                   servers=[{"url": "/api/v1"}])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name, schema in {"Case": schemas.CASE, "CaseSummary": schemas.CASE_SUMMARY, "CasePage": schemas.CASE_PAGE,
                         "Event": schemas.EVENT, "Unit": schemas.UNIT, "Calendar": schemas.CALENDAR,
                         "UnitList": {"type": "array", "items": {"$ref": "#/components/schemas/Unit"}},
                         "Error": schemas.ERROR, "NewCase": _new_case_schema(),
                         "MonthlyStats": schemas.MONTHLY_STATS, "InspectionRound": schemas.INSPECTION_ROUND, **COMPONENTS}.items():
        spec.components.schema(name, schema)

    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        if op.path == "/cases/{number}/events/{event}":
            continue  # written out per event below
        operation = {"summary": op.summary, "parameters": _parameters(op.path) + op.query,
                     "responses": _responses(op.status, op.response, op.errors)}
        if not op.public:
            operation["security"] = [{"bearer": []}]
        if op.request:
            operation["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{op.request}"}}}}
        paths.setdefault(op.path, {})[op.method] = operation
    for event in case_flow.SPECS:
        if event.roles <= {CITIZEN}:
            continue  # the writer rates on the public query page: no API token is a citizen's
        paths[f"/cases/{{number}}/events/{event.name}"] = {"post": {
            "summary": f"{event.label}（{event.name}）", "security": [{"bearer": []}],
            "parameters": _parameters("/cases/{number}"),
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": schemas.event_schema(event.name)}}},
            "responses": _responses(200, "Case", (400, 401, 403, 404, 409))}}
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
