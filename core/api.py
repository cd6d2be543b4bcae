"""The JSON API, ``/api/v1/…``: the same data and decisions as the pages, for the systems a BPO
already runs (the telephony, the chat platform, punch clocks, payroll).

Every endpoint is declared once, as an `Endpoint` (the core's in `api_endpoints`, each plugin's
through ``register_endpoints``), and that one declaration both routes the call and writes the
OpenAPI document (`openapi`): nothing about an endpoint is written twice. A call:

1. presents a token (`tokens.Tokens.authenticate`; cookies are never read here, so a browser's
   session cannot call the API and CSRF does not apply): none, a revoked or an expired one is a
   401 with a JSON error, never a redirect to the sign-in page;
2. stays within its token's rate (`RATE` calls a minute, per token and per worker process);
3. is authorised as the token's user exactly as a page is (`Access.authorize`, route first, then
   the handler's object checks through `Call.authorize`), a write only with a token that writes;
4. reads its JSON body, checked against the endpoint's schema (`check_body`): the first problem
   names its field;
5. on a write with an ``Idempotency-Key`` header, is answered from the stored answer when the
   same key came with the same request before (24 hours), so a retried punch upload is stored
   once; the same key with another request is refused;
6. answers JSON; a list pages with ``?limit=&cursor=`` (`Endpoint.paged`): ``{"items": […],
   "next": cursor or null}``.

Errors are ``{"error": {"code", "message", "field"}}`` with the message in the caller's language
(``Accept-Language``; the install's otherwise).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .errors import FloorwalkerError, NotFound, PermissionDenied, ValidationError
from .i18n import N_, accepted_locale, normalize_locale, translate
from .shards import now_iso
from .tokens import Tokens
from .users import in_scope

PREFIX = "/api/v1"
RATE = 600  # calls a minute per token (and per worker process)
LIMIT, MOST = 100, 1000  # a page of a list: by default, at most
BODY_LIMIT = 5 * 2**20
API = "api"  # the store's key of the idempotency records: data/api.json
KEPT = "idempotency"
KEEP = dt.timedelta(hours=24)
WRITES = ("POST", "PUT", "PATCH", "DELETE")
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
         429: "rate_limited", 500: "server_error", 503: "busy", 507: "disk_full"}


@dataclass(frozen=True)
class Endpoint:
    """One call of the API: `method` and `path` (under ``/api/v1``, ``{project}`` and other
    ``{names}`` as path parameters), the `handler(call)` that answers it (a JSON-able value),
    the `action` checked before it runs (as a page's), and what the OpenAPI document says of it:
    a `summary` (and `summary_zh`), query `params` (name → JSON schema, with its ``description``), the JSON schema
    of the `body` and of the `response`, and an `example` of each. `paged` lists answer a page
    at a time, ordered by `cursor` (a field of each item); `status` is the answer's on success
    (201 for a creation)."""

    method: str
    path: str
    handler: Callable
    action: str
    summary: str
    params: dict = field(default_factory=dict)
    summary_zh: str = ""  # the docs page's Chinese (the OpenAPI document carries it as x-summary-zh)
    body: dict | None = None
    response: dict = field(default_factory=dict)
    example: Any = None
    body_example: Any = None
    paged: bool = False
    cursor: str = "id"
    status: int = 200
    tag: str = ""
    plugin: str = ""  # stamped by the core

    @property
    def writes(self) -> bool:
        return self.method in WRITES


@dataclass
class Call:
    """What a handler gets: the install, the token's user (narrowed to the token's projects),
    the path parameters, the query, the JSON body, the project a ``{project}`` path names (in the
    user's scope), and the caller's language."""

    fw: Any
    user: dict
    token: dict
    params: dict
    query: dict
    body: Any
    locale: str
    project: dict | None = None

    def authorize(self, action: str, obj: dict | None = None) -> None:
        """Raise unless the user may do *action* on *obj* in this project (`Access.authorize`)."""
        self.fw.access.authorize(self.user, action, self.project, obj)

    def number(self, name: str, default: int, low: int = 1, high: int = MOST) -> int:
        """An integer query parameter within [low, high]."""
        text = self.query.get(name)
        if text in (None, ""):
            return default
        try:
            value = int(text)
        except ValueError:
            raise ValidationError(name, N_("expected a whole number, got {value!r}"), value=text) from None
        if not low <= value <= high:
            raise ValidationError(name, N_("between {low} and {high}"), low=low, high=high)
        return value


# ---------------------------------------------------------------- the body's schema


_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "object": dict,
          "array": list}


def check_body(schema: dict | None, value: Any, path: str = "") -> None:
    """Refuse *value* where it breaks *schema* (the JSON Schema subset the endpoints use: type,
    properties, required, additionalProperties false, items, enum, minLength, maxLength,
    minimum, maximum, maxItems, nullable), naming the first wrong field."""
    if schema is None:
        return
    name = path or N_("body")
    if value is None:
        if schema.get("nullable"):
            return
        raise ValidationError(name, N_("required"))
    kind = schema.get("type")
    if kind:
        wanted = _TYPES[kind]
        if isinstance(value, bool) and kind in ("integer", "number"):
            raise ValidationError(name, N_("expected {kind}"), kind=kind)
        if not isinstance(value, wanted):
            raise ValidationError(name, N_("expected {kind}"), kind=kind)
    if "enum" in schema and value not in schema["enum"]:
        raise ValidationError(name, N_("one of {choices}"), choices=", ".join(map(str, schema["enum"])))
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", 10_000):
            raise ValidationError(name, N_("at most {limit} characters long"), limit=schema.get("maxLength", 10_000))
        if len(value) < schema.get("minLength", 0):
            raise ValidationError(name, N_("required"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise ValidationError(name, N_("at least {low}"), low=schema["minimum"])
        if "maximum" in schema and value > schema["maximum"]:
            raise ValidationError(name, N_("at most {high}"), high=schema["maximum"])
    if isinstance(value, dict):
        for key in schema.get("required", ()):
            if key not in value:
                raise ValidationError(f"{path}.{key}" if path else key, N_("required"))
        properties = schema.get("properties", {})
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if key in properties:
                check_body(properties[key], item, where)
            elif schema.get("additionalProperties") is False:
                raise ValidationError(where, N_("not a field of this call"))
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", 50_000):
            raise ValidationError(name, N_("at most {limit} items"), limit=schema.get("maxItems", 50_000))
        for n, item in enumerate(value):
            check_body(schema.get("items"), item, f"{path}[{n}]")


# ---------------------------------------------------------------- answers


def answer(value: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS, default=_default), status_code=status,
                    media_type="application/json", headers=headers)


def _default(value):
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (set, tuple, frozenset)):
        return list(value)
    raise TypeError(type(value).__name__)


def failure(status: int, message: str, field_name: str | None = None, headers: dict | None = None) -> Response:
    error = {"code": CODES.get(status, "error"), "message": message}
    if field_name:
        error["field"] = field_name
    return answer({"error": error}, status, headers)


def error_answer(err: FloorwalkerError, locale: str) -> Response:
    field_name = getattr(err, "field", None)
    headers = {"WWW-Authenticate": "Bearer"} if err.http_status == 401 else None
    if err.http_status == 503:
        headers = {"Retry-After": "1"}
    return failure(err.http_status, err.message(locale), str(field_name) if field_name else None, headers)


def page_of(items: list[dict], key: str, cursor: str | None, limit: int) -> dict:
    """A page of *items* (ordered by *key*) after *cursor*, with the cursor of the next page."""
    after = _decode(cursor) if cursor else None
    ordered = sorted(items, key=lambda item: str(item.get(key, "")))
    if after is not None:
        ordered = [item for item in ordered if str(item.get(key, "")) > after]
    shown = ordered[:limit]
    more = len(ordered) > limit
    return {"items": shown, "next": _encode(str(shown[-1].get(key, ""))) if more and shown else None}


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(text: str) -> str:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        raise ValidationError("cursor", N_("not a cursor this API gave")) from None


# ---------------------------------------------------------------- the rate


class Rate:
    """At most `per_minute` calls a minute per token, in this process."""

    def __init__(self, per_minute: int = RATE, clock=time.monotonic):
        self.per_minute, self.clock = per_minute, clock
        self.calls: dict[str, deque] = {}
        self.lock = threading.Lock()

    def wait(self, token: str) -> float:
        """0 when the call may go ahead (and count it), else the seconds to wait."""
        now = self.clock()
        with self.lock:
            calls = self.calls.setdefault(token, deque())
            while calls and calls[0] <= now - 60:
                calls.popleft()
            if len(calls) >= self.per_minute:
                return calls[0] + 60 - now
            calls.append(now)
            return 0.0


# ---------------------------------------------------------------- serving a call


class Api:
    """The API of one app: its endpoints, the tokens, the rate and the idempotency records."""

    def __init__(self, fw, endpoints: list[Endpoint], rate: int = RATE):
        self.fw, self.endpoints = fw, endpoints
        self.tokens = Tokens(fw)
        self.rate = Rate(rate)

    def routes(self) -> list[Route]:
        found = []
        for endpoint in self.endpoints:
            route = Route(PREFIX + endpoint.path, self._endpoint(endpoint), methods=[endpoint.method],
                          name=f"api:{endpoint.method}:{endpoint.path}")
            route.action, route.plugin, route.limits = endpoint.action, endpoint.plugin or None, {}
            found.append(route)
        return found

    def _endpoint(self, endpoint: Endpoint):
        async def serve(request: Request) -> Response:
            raw = await request.body() if endpoint.writes else b""
            return await run_in_threadpool(self.serve, endpoint, request, raw)
        return serve

    def locale(self, request: Request) -> str:
        return normalize_locale(accepted_locale(request.headers.get("accept-language")) or self.fw.default_locale())

    def serve(self, endpoint: Endpoint, request: Request, raw: bytes) -> Response:
        locale = self.locale(request)
        try:
            token, user = self.tokens.authenticate(request.headers.get("authorization"))
            wait = self.rate.wait(token["id"])
            if wait:
                return failure(429, translate(N_("too many calls with this token; wait {seconds} s"), locale,
                                              seconds=int(wait) + 1), headers={"Retry-After": str(int(wait) + 1)})
            if endpoint.writes and not token["write"]:
                raise PermissionDenied(N_("this token only reads: make one that writes"))
            call = self._call(endpoint, request, raw, token, user, locale)
            key = request.headers.get("idempotency-key")
            if endpoint.writes and key:
                return self._once(endpoint, call, token, key.strip()[:200], raw, request)
            return self._answer(endpoint, call)
        except FloorwalkerError as err:
            return error_answer(err, locale)

    def _call(self, endpoint: Endpoint, request: Request, raw: bytes, token: dict, user: dict,
              locale: str) -> Call:
        params = dict(request.path_params)
        project = None
        slug = params.get("project")
        if slug is not None:
            if not in_scope(user, slug):
                raise NotFound(N_("no project {slug!r}"), slug=slug)
            project = self.fw.projects.get(slug)
            if endpoint.plugin and endpoint.plugin not in project["plugins"]:
                raise NotFound(N_("no project {slug!r}"), slug=slug)
        self.fw.access.authorize(user, endpoint.action, project, route=True)
        body = None
        if endpoint.writes and endpoint.body is not None:
            if len(raw) > BODY_LIMIT:
                raise ValidationError(N_("body"), N_("at most {mb} MB"), mb=BODY_LIMIT // 2**20)
            try:
                body = orjson.loads(raw) if raw else None
            except orjson.JSONDecodeError:
                raise ValidationError(N_("body"), N_("not JSON")) from None
            check_body(endpoint.body, body)
        return Call(self.fw, user, token, params, dict(request.query_params), body, locale, project)

    def _answer(self, endpoint: Endpoint, call: Call) -> Response:
        value = endpoint.handler(call)
        if endpoint.paged:
            value = page_of(value, endpoint.cursor, call.query.get("cursor") or None,
                            call.number("limit", LIMIT))
        return answer(value, endpoint.status)

    def _once(self, endpoint: Endpoint, call: Call, token: dict, key: str, raw: bytes,
              request: Request) -> Response:
        """Answer a write once per idempotency key: a retry gets the first answer."""
        ident = f"{token['id']}:{key}"
        fingerprint = hashlib.sha256(f"{endpoint.method} {request.url.path}\n".encode() + raw).hexdigest()
        with self.fw.store.lock(API):
            kept = self.fw.store.table(API, KEPT).get(ident)
            if kept is not None and dt.datetime.fromisoformat(kept["at"]) > dt.datetime.now() - KEEP:
                if kept["fingerprint"] != fingerprint:
                    raise ValidationError("Idempotency-Key", N_("this key was used for another request"))
                return Response(kept["body"].encode(), status_code=kept["status"], media_type="application/json",
                                headers={"Idempotent-Replay": "true"})
            response = self._answer(endpoint, call)
            if response.status_code < 500:
                self._keep(ident, fingerprint, response)
            return response

    def _keep(self, ident: str, fingerprint: str, response: Response) -> None:
        cutoff = (dt.datetime.now() - KEEP).isoformat()
        with self.fw.store.transaction(API, "system", "api.idempotency") as tx:
            for doc in list(tx.docs(KEPT).values()):
                if doc["at"] < cutoff:
                    tx.remove(KEPT, doc["id"])
            record = {"fingerprint": fingerprint, "status": response.status_code,
                      "body": response.body.decode(), "at": now_iso()}
            if tx.get(KEPT, ident) is None:
                tx.insert(KEPT, {"id": ident, **record})
            else:
                tx.update(KEPT, ident, record)


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def no_such_call(request: Request, status: int, fw) -> Response:
    """The JSON 404/405 of a path or method the API does not have."""
    locale = normalize_locale(accepted_locale(request.headers.get("accept-language")) or fw.default_locale())
    if status == 405:
        return failure(405, translate(N_("this address does not take that method"), locale))
    return failure(404, translate(N_("there is nothing at this address"), locale))

