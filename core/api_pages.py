"""The API's own pages: the OpenAPI document (``/api/v1/openapi.json``, public: it holds no data)
and the docs page that renders it (``/api/docs``), with no script from anywhere."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.routing import Route

from floorwalker import __version__

from .api import PREFIX, Api, answer
from .openapi import document
from .page import page


def routes(api: Api) -> list:
    built = document(api.endpoints, __version__)

    async def openapi(request: Request):
        return answer(built)

    def docs(p):
        operations = []
        for path, methods in built["paths"].items():
            for method, op in methods.items():
                body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {})
                ok = next((r["content"]["application/json"] for status, r in op["responses"].items()
                           if status.startswith("2")), {})
                operations.append({"method": method.upper(), "path": path, **op,
                                   "body_text": _json(body.get("example", body.get("schema"))) if body else "",
                                   "answer_text": _json(ok["example"]) if "example" in ok else ""})
        return p.render("api_docs.html", doc=built, operations=operations,
                        tags=sorted({op["tags"][0] for op in operations}))

    spec = Route(f"{PREFIX}/openapi.json", openapi, methods=["GET"], name="api:openapi")
    spec.action, spec.plugin, spec.limits = "public", None, {}
    return [spec, page("/api/docs", docs, "public")]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
