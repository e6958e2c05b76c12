"""API routes declare what they take and return; the OpenAPI document is built from this
registry and from the workflow definition, never written by hand."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@dataclass
class Operation:
    path: str          # OpenAPI form: /cases/{number}
    method: str
    summary: str
    response: str | None            # component schema name of the 2xx body
    status: int = 200
    request: str | None = None      # component schema name of the JSON body
    query: list[dict] = field(default_factory=list)
    errors: tuple[int, ...] = (400, 401, 403, 404)
    public: bool = False


OPERATIONS: list[Operation] = []
# Component schemas declared by API modules next to their serializers.
COMPONENTS: dict[str, dict] = {}


def component(name: str, schema: dict) -> None:
    COMPONENTS[name] = schema


def route(rule: str, method: str, summary: str, response: str | None, **kw):
    """Register a view on the API blueprint and describe it for the OpenAPI document."""
    path = rule.replace("<", "{").replace(">", "}")
    for converter in ("int:", "string:"):
        path = path.replace("{" + converter, "{")
    OPERATIONS.append(Operation(path, method.lower(), summary, response, **kw))

    def register(view):
        bp.add_url_rule(rule, view_func=view, methods=[method])
        return view
    return register


def query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}
