"""A request as a handler sees it: `Page`, the `page()` route that authorises it, and the error pages.

Every route — the core's and each plugin's — is declared with the action `authorize()` checks
(`page()`), and goes through one wrapper (`_serve`): it reads the form (async, under the body
limit; a text field longer than its route's limit is refused there), then in the threadpool —
store calls must not block the event loop — loads the session, picks the language, checks the
project in the path is in the user's scope (404 otherwise, and
404 where the project turned the route's plugin off, saying so), authorises the action, checks the
CSRF token of a POST (the session's; before sign-in, the one of the signed `FormTokens` cookie
that every page rendered for a signed-out visitor sets), calls the handler with a `Page`, and turns a `FloorwalkerError` into a
page in the reader's language with the error's HTTP status.

A handler — the core's or a plugin's `Route.endpoint` — is a plain sync function
``handler(page) -> Response``. The `Page` gives it ``fw``, ``project``, ``user``, ``locale``,
``params`` (path), ``form`` (a POST's fields, a list where a field repeats), ``request``, and
``render(template, http_status=200, **context)``, ``redirect(url)``, ``authorize(action, obj)``
(an object of another project, or another agent's record for an agent login, answers 404) and
``agent_name(agent, n)`` (masked for a client login unless the project shows names).
`render` answers a `Rendered` response, which tells Starlette's test client its template and
context (``response.template``, ``response.context``), as Starlette's own template responses do.

The app that serves these routes is built in `core/app.py`.
"""

from __future__ import annotations

import secrets as _secrets
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from . import turns, validate
from .access import ROLE_TITLES, in_scope
from .api import failure, is_api, no_such_call
from .auth import COOKIE, SESSION_HOURS, FormTokens, Sessions
from .errors import FloorwalkerError, NotFound, PermissionDenied, ValidationError
from .exports import download
from .i18n import N_, accepted_locale, normalize_locale, translate
from .middleware import BodyTooLarge
from .plugins import collect, plugin_title
from .records import NavItem, WaitingItem
from .templating import DEFAULT_THEME, Templates
from .throttle import LoginThrottle

BODY_LIMIT = 10 * 1024 * 1024
# a roster grid posts a cell per agent and day: 200 agents x 31 days, with room to spare
FORM_FIELDS = 20_000
LANG_COOKIE = "fw_lang"  # the language picked before signing in


@dataclass
class Shell:
    """What every request needs, built once per app."""

    fw: object
    templates: Templates
    sessions: Sessions
    throttle: LoginThrottle
    tokens: FormTokens
    config: dict = field(default_factory=dict)

    def theme(self) -> str:
        """The active theme, read per request so an admin's switch needs no restart: the install
        setting, else the app's config, else the default (an uninstalled name falls back too)."""
        chosen = self.fw.install_settings().get("theme") or self.config.get("theme") or DEFAULT_THEME
        return self.templates.resolve(chosen)


class Rendered(HTMLResponse):
    """A page rendered from *template* with *context*. Like Starlette's `_TemplateResponse`, it
    sends an ``http.response.debug`` message first where the server offers the extension (the
    test client does), so a test reads ``response.template`` and ``response.context``."""

    def __init__(self, template, context: dict, status_code: int = 200):
        self.template, self.context = template, context
        super().__init__(template.render(context), status_code=status_code)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if "http.response.debug" in scope.get("extensions", {}):
            await send({"type": "http.response.debug",
                        "info": {"template": self.template, "context": self.context}})
        await super().__call__(scope, receive, send)


@dataclass
class Page:
    """One request as a handler sees it."""

    request: Request
    shell: Shell
    user: dict | None
    session: dict | None
    locale: str
    params: dict
    form: dict
    project: dict | None = None
    action: str = "public"
    theme: str = DEFAULT_THEME
    form_token: str = ""  # the CSRF token of a visitor without a session (`FormTokens`)
    new_token_cookie: str | None = None  # set with the next page when the visitor had none
    _waiting: list | None = None  # `waiting()`, once per request

    @property
    def fw(self):
        return self.shell.fw

    def _(self, message: str, **params) -> str:
        """*message* (marked with `N_`) in the reader's language, its `{placeholders}` filled
        from *params*."""
        return translate(message, self.locale, **params)

    def can(self, action: str, obj: dict | None = None) -> bool:
        """Whether the user may do *action* (on *obj*; without one, whether the role holds it —
        to show a form or a button)."""
        return self.fw.access.can(self.user, action, self.project, obj, route=obj is None)

    def authorize(self, action: str, obj: dict | None = None) -> None:
        """Raise unless the user may do *action* on *obj* in this project: *obj* names the
        ``agent`` or ``team`` it is about, and its ``date`` where it has one (see `access`)."""
        self.fw.access.authorize(self.user, action, self.project, obj)

    @property
    def csrf_token(self) -> str:
        return self.session["csrf"] if self.session else self.form_token

    def render(self, template: str, http_status: int = 200, **context) -> Rendered:
        """*template* rendered in the reader's language with *context* and the page's own
        (`project`, `user`, `csrf_token` …), as an HTML response of *http_status*."""
        base = {"page": self, "user": self.user, "project": self.project, "locale": self.locale,
                "csrf_token": self.csrf_token, "path": self.request.url.path, "nav": self.nav(),
                # where the reader is, query included: the language form comes back here
                "here": self.request.url.path + (f"?{self.request.url.query}" if self.request.url.query else ""),
                "theme": self.theme, "t": lambda record: record.title(self.locale),
                "role_titles": ROLE_TITLES}
        response = Rendered(self.shell.templates.get(template, self.locale, self.theme),
                            {**base, **context}, http_status)
        if self.new_token_cookie:
            response.set_cookie(FormTokens.COOKIE, self.new_token_cookie, max_age=SESSION_HOURS * 3600,
                                httponly=True, samesite="lax", secure=self.request.app.state.secure_cookie,
                                path="/")
        return response

    def agent_name(self, agent: dict, index: int) -> str:
        """The agent's name, or "Agent #n" for a client login where the project hides names
        (`Projects.agent_label`). Plugins' report pages use this."""
        return self.fw.projects.agent_label(self.project, self.user, agent, index, self.locale)

    def redirect(self, url: str) -> RedirectResponse:
        """A 303 redirect to *url*: the answer to a POST that worked."""
        return RedirectResponse(url, status_code=303)

    def download(self, body: bytes, filename: str, media_type: str | None = None) -> Response:
        """*body* as a file the browser saves as *filename* (see `exports.download`)."""
        return download(body, filename, media_type)

    def waiting(self) -> list:
        """What waits for this user in the project (`waiting_items` of the enabled plugins, those
        with a count), asked once per request: the navigation shows their total on every page."""
        if self.project is None or self.user is None:
            return []
        if self._waiting is None:
            self._waiting = [w for w in collect(self.fw.project_hook(self.project, "waiting_items"),
                                                WaitingItem, floorwalker=self.fw, project=self.project,
                                                user=self.user) if w.count]
        return self._waiting

    def nav(self) -> list[dict]:
        """The project's navigation: the core's entries the user may use, then the plugins'."""
        if self.project is None or self.user is None:
            return []
        slug = self.project["slug"]
        month = self.fw.projects.today(self.project).isoformat()[:7]
        core = [("project.dashboard", "", N_("Dashboard")), ("agents.list", "agents", N_("Agents")),
                ("scores.view", f"scores/{month}", N_("Scores")),
                ("periods.view", "periods", N_("Periods")), ("imports.use", "import", N_("Import"))]
        links = [(self._(title), url) for action, url, title in core if self.can(action)]
        own = self.user.get("agent")
        if own and not self.can("agents.list") and self.can("agent.view", {"number": own}):
            links.append((self._(N_("My month")), f"agents/{own}"))
        extra = collect(self.fw.project_hook(self.project, "nav_items"), NavItem,
                        floorwalker=self.fw, project=self.project, user=self.user)
        links += [(i.title(self.locale), i.url) for i in extra]
        path = self.request.url.path
        return [{"title": title, "url": f"/p/{slug}/{url}",
                 "on": path == f"/p/{slug}/{url}" or (url != "" and path.startswith(
                     f"/p/{slug}/{url.split('/')[0]}/"))} for title, url in links]


def page(path: str, handler: Callable, action: str, methods=("GET",), plugin: str | None = None,
         limits: dict | None = None) -> Route:
    """A route whose every request is authorised for *action* before *handler* runs. A POST
    whose text field is longer than its limit is refused first, nothing written: *limits* maps a
    field's name to its characters (``"*"``: every other field), a note's 2,000 by default."""
    limits = dict(limits or {})

    async def endpoint(request: Request) -> Response:
        form: dict = {}
        if request.method == "POST":
            try:
                data = await request.form(max_part_size=BODY_LIMIT, max_fields=FORM_FIELDS)
            except BodyTooLarge:
                return await run_in_threadpool(_too_large_page, request)
            form = {key: (data.getlist(key) if len(data.getlist(key)) > 1 else data[key])
                    for key in data.keys()}
            try:
                _check_lengths(form, limits)
            except ValidationError as err:
                return await run_in_threadpool(_refused_page, request, err)
        # a page waits its turn among the worker's readers, a form does not (`turns`)
        serve = _serve_viewed if request.method == "POST" else _serve_in_turn
        return await run_in_threadpool(serve, request, handler, action, form, plugin)

    route = Route(path, endpoint, methods=list(methods), name=f"{action}:{path}:{','.join(methods)}")
    route.action, route.limits, route.plugin = action, limits, plugin
    return route


def _check_lengths(form: dict, limits: dict) -> None:
    """Refuse the first text field of *form* longer than its limit (uploaded files are no text):
    a stored note is rewritten with its whole file at every later change of that file."""
    for key, value in form.items():
        limit = limits.get(key, limits.get("*", validate.NOTE_LIMIT))
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                validate.text(text, key, limit)


def _refused_page(request: Request, err: FloorwalkerError) -> Response:
    p = _open(request)
    return error_page(p, err.http_status, err.message(p.locale))


def _open(request: Request) -> Page:
    shell: Shell = request.app.state.shell
    loaded = shell.sessions.load(request.cookies.get(COOKIE))
    session, user = loaded if loaded else (None, None)
    # a signed-in reader's own language; before that, the one picked on the sign-in page, else
    # the one the browser asks for, else the install's
    chosen = user["locale"] if user else (request.cookies.get(LANG_COOKIE)
                                          or accepted_locale(request.headers.get("accept-language"))
                                          or shell.fw.default_locale())
    locale = normalize_locale(chosen)
    p = Page(request=request, shell=shell, user=user, session=session, locale=locale,
             params=dict(request.path_params), form={}, theme=shell.theme())
    if session is None:
        token = shell.tokens.read(request.cookies.get(FormTokens.COOKIE))
        if token is None:
            token, p.new_token_cookie = shell.tokens.new()
        p.form_token = token
    return p


def _serve(request: Request, handler: Callable, action: str, form: dict, plugin: str | None) -> Response:
    p = _open(request)
    p.form, p.action = form, action
    try:
        if action != "public" and p.user is None:
            return p.redirect("/login?next=" + quote(request.url.path))
        slug = p.params.get("project")
        if slug is not None:  # scope first: a project the user may not see does not exist
            if not in_scope(p.user, slug):
                raise NotFound(N_("no project {slug!r}"), slug=slug)
            p.project = p.fw.projects.get(slug)
            if plugin is not None and plugin not in p.project["plugins"]:
                raise NotFound(N_("{plugin} is turned off for {project}; an administrator can turn "
                                  "it on in the project's settings"),
                               plugin=plugin_title(p.fw.pm, plugin, p.locale),
                               project=p.project.get("name") or p.project["client"])
        p.fw.access.authorize(p.user, action, p.project, route=True)
        if request.method == "POST" and not _csrf_ok(p, form.get("csrf_token")):
            raise PermissionDenied(N_("this form has expired; reload the page and try again"))
        return handler(p)
    except FloorwalkerError as err:
        return error_page(p, err.http_status, err.message(p.locale))


def _serve_viewed(request: Request, *args) -> Response:
    """A request reads one state of each file (`Store.snapshot`) — a form's handler its files
    again after each of its writes: a page's parts agree, and a shard it asks for ten times is
    looked up once (with PostgreSQL, one query for all the shards kept, not one per read)."""
    with request.app.state.shell.fw.store.snapshot():
        return _serve(request, *args)


_serve_in_turn = turns.reading(_serve_viewed)


def _csrf_ok(p: Page, submitted) -> bool:
    """A POST carries the session's token, or — signed out — the token of its `FormTokens` cookie."""
    if p.session is not None:
        return _secrets.compare_digest(str(submitted or "").encode(), p.session["csrf"].encode())
    return p.shell.tokens.valid(p.request.cookies.get(FormTokens.COOKIE), submitted)


def error_page(p: Page, status: int, message: str) -> HTMLResponse:
    titles = {403: N_("Not allowed"), 404: N_("Not found"), 413: N_("Too large"),
              429: N_("Too many attempts"), 503: N_("Busy")}
    title = p._(titles.get(status, N_("Something went wrong")))
    return p.render("error.html", http_status=status, title=title, message=message, status_code=status)


def _too_large_page(request: Request) -> Response:
    p = _open(request)
    return error_page(p, 413, p._(N_("the upload is larger than {mb} MB"), mb=BODY_LIMIT // 2**20))


async def not_found(request: Request, exc: HTTPException) -> Response:
    if is_api(request.url.path):  # the API answers JSON, never a page
        return no_such_call(request, exc.status_code, request.app.state.shell.fw)

    def render():
        p = _open(request)
        if exc.status_code == 405:
            return error_page(p, 405, p._(N_("this address does not take that method")))
        return error_page(p, 404, p._(N_("there is nothing at this address")))
    return await run_in_threadpool(render)


async def server_error(request: Request, exc: Exception) -> Response:
    """A page in the reader's language; the traceback goes to the server's log."""
    if is_api(request.url.path):
        return failure(500, "an unexpected error happened; it was written to the log")

    def render():
        try:
            p = _open(request)
            return error_page(p, 500, p._(N_("an unexpected error happened; it was written to the log")))
        except Exception:  # the store itself may be what failed
            return HTMLResponse("<!doctype html><title>500</title><p>Internal Server Error</p>", status_code=500)
    return await run_in_threadpool(render)


def set_session_cookie(response: Response, value: str, request: Request) -> None:
    response.set_cookie(COOKIE, value, max_age=SESSION_HOURS * 3600, httponly=True, samesite="lax",
                        secure=request.app.state.secure_cookie, path="/")
