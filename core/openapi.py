"""The OpenAPI document of ``/api/v1``, written from the same `Endpoint` declarations that route
the calls (`api.Api`): a path, its parameters, its body and its answers cannot say something the
code does not do. Served at ``/api/v1/openapi.json`` and read by the docs page ``/api/docs``."""

from __future__ import annotations

import re

from .api import CODES, LIMIT, MOST, PREFIX, Endpoint

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}}}}
PATH_PARAMETER = re.compile(r"{(\w+)}")
DESCRIPTIONS = {"project": "The project's slug.", "number": "The agent's employee number.",
                "month": "A month, YYYY-MM.", "id": "The record's id."}


def document(endpoints: list[Endpoint], version: str) -> dict:
    paths: dict[str, dict] = {}
    for endpoint in endpoints:
        paths.setdefault(PREFIX + endpoint.path, {})[endpoint.method.lower()] = operation(endpoint)
    return {
        "openapi": "3.0.3",
        "info": {"title": "Floorwalker API", "version": version,
                 "description": "The data and decisions of the pages, for the systems a BPO runs. Send "
                                "`Authorization: Bearer <token>` (`floorwalker token create`). Errors are "
                                "`{\"error\": {code, message, field}}` in the language of `Accept-Language`. "
                                "Lists page with `limit` and `cursor`; writes take an `Idempotency-Key`."},
        "servers": [{"url": "/"}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": {"Error": ERROR}},
        "security": [{"bearer": []}],
        "paths": paths,
    }


def operation(endpoint: Endpoint) -> dict:
    parameters = [{"name": name, "in": "path", "required": True,
                   "schema": {"type": "string", "minLength": 1, "maxLength": 80, "pattern": "^[^/]+$"},
                   "description": DESCRIPTIONS.get(name, name)}
                  for name in PATH_PARAMETER.findall(endpoint.path)]
    for name, schema in endpoint.params.items():
        parameters.append({"name": name, "in": "query", "required": False,
                           "schema": {k: v for k, v in schema.items() if k not in ("description", "example")},
                           "description": schema.get("description", "")})
    if endpoint.paged:
        parameters += [{"name": "limit", "in": "query", "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": MOST, "default": LIMIT},
                        "description": "Items a page."},
                       {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"},
                        "description": "The `next` of the page before."}]
    if endpoint.writes:
        parameters.append({"name": "Idempotency-Key", "in": "header", "required": False,
                           "schema": {"type": "string", "maxLength": 200},
                           "description": "The same key with the same request within 24 hours is answered "
                                          "once: a retry gets the first answer."})
    response = endpoint.response or {"type": "object"}
    if endpoint.paged:
        response = {"type": "object", "required": ["items", "next"],
                    "properties": {"items": response if response.get("type") == "array" else
                                   {"type": "array", "items": response},
                                   "next": {"type": "string", "nullable": True}}}
    ok = {"description": "OK" if endpoint.status == 200 else "Created",
          "content": {"application/json": {"schema": response,
                                           **({"example": endpoint.example} if endpoint.example is not None else {})}}}
    checked = endpoint.writes or endpoint.params or endpoint.paged or len(PATH_PARAMETER.findall(endpoint.path)) > 1
    failures = [401, 403, 404, 429] + ([422, 409] if checked else [])  # a {month} of the path is checked too
    found = {
        "operationId": f"{endpoint.method.lower()}_{re.sub(r'[^a-z0-9]+', '_', endpoint.path.lower()).strip('_')}",
        "summary": endpoint.summary,
        **({"x-summary-zh": endpoint.summary_zh} if endpoint.summary_zh else {}),
        "tags": [endpoint.tag or endpoint.plugin or "core"],
        "parameters": parameters,
        "responses": {str(endpoint.status): ok, **{str(code): {
            "description": CODES[code].replace("_", " "),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            for code in failures}},
    }
    if endpoint.body is not None:
        found["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": endpoint.body, **({"example": endpoint.body_example} if endpoint.body_example is not None else {})}}}
    return found
