"""The web app: `create_app(fw)` builds the Starlette app of an install.

It joins the core's pages (`pages`, `admin_pages`) and every plugin's routes (`plugin_routes`,
each under ``/p/{project}/<plugin>/`` and answering only where the project enables the plugin),
serves the active theme's static files and each plugin's own (``/static/plugins/<name>/``),
and puts the middleware (security headers, the body limit) and the error pages around them.
A request itself is handled as `core/page.py` says.
"""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import api_endpoints, pages, turns
from .access import check_routes
from .api import Api
from .api_pages import routes as api_page_routes
from .token_pages import routes as token_routes
from .auth import FormTokens, Sessions
from .i18n import N_, translate
from .middleware import TIMING_ENV, BodyLimit, SecurityHeaders, ServerTiming
from .page import BODY_LIMIT, Shell, not_found, page, server_error
from .plugins import collect, collect_endpoints
from .records import Route as PluginRoute
from .templating import DEFAULT_THEME, THEMES_DIR, Templates, plugin_dirs
from .throttle import SharedThrottle


def plugin_routes(fw) -> list[Route]:
    """Each plugin's routes under /p/{project}/{plugin}/, answering only where enabled; a path
    and method a plugin declares twice stops the app from starting."""
    declared = collect(fw.pm.hook.register_routes, PluginRoute,
                       key=lambda r: (r.plugin, r.path.strip("/"), *sorted(r.methods)))
    return [page(f"/p/{{project}}/{r.plugin}/{r.path.lstrip('/')}", r.endpoint, r.action,
                 r.methods, plugin=r.plugin, limits=r.limits) for r in declared]


def static_app(theme: str, data_root=None) -> StaticFiles:
    """The theme's files (the company's own first), then the default theme's."""
    folders = [THEMES_DIR / DEFAULT_THEME / "static"]
    if data_root is not None:
        folders.insert(0, data_root / "themes" / theme / "static")
    if theme != DEFAULT_THEME:
        folders.insert(-1, THEMES_DIR / theme / "static")
    app = StaticFiles(directory=folders[-1])
    app.all_directories = [f for f in folders if f.is_dir()]
    return app


class ThemeStatic:
    """``/static``: the files of the theme active at this request, one `StaticFiles` per theme."""

    def __init__(self, shell: Shell):
        self.shell = shell
        self.apps: dict[str, StaticFiles] = {}

    async def __call__(self, scope, receive, send):
        theme = await run_in_threadpool(self.shell.theme)
        if theme not in self.apps:
            self.apps[theme] = static_app(theme, self.shell.fw.store.root)
        await self.apps[theme](scope, receive, send)


def create_app(fw, *, secret: str | None = None, config: dict | None = None) -> Starlette:
    """The Starlette app of the install *fw* (a `Floorwalker`); the theme comes from the install
    settings at each request (``config["theme"]`` when none is set); *secret* signs session and
    form-token cookies (default: a key kept in the sessions file)."""
    config = dict(config or {})
    turns.prefer_writers()  # a form posted while pages render gets the interpreter lock soon
    templates = Templates(fw.store.root, config.get("theme") or DEFAULT_THEME, fw.pm)
    sessions = Sessions(fw, secret)
    throttle = SharedThrottle(fw.store, trusted_proxies=config.get("trusted_proxies", ()))
    shell = Shell(fw=fw, templates=templates, sessions=sessions, throttle=throttle,
                  tokens=FormTokens(sessions.secret), config=config)
    limit = int(config.get("body_limit", BODY_LIMIT))
    # a plugin's own files (its stylesheet) at /static/plugins/<name>/, before the theme's /static
    plugin_files = [Mount(f"/static/plugins/{name}", app=StaticFiles(directory=folder))
                    for name, folder in plugin_dirs(fw.pm, "static").items()]
    api = Api(fw, [*api_endpoints.ENDPOINTS, *collect_endpoints(fw.pm)], rate=int(config.get("api_rate", 600)))
    routes = [*pages.routes(), *plugin_routes(fw), *api.routes(), *api_page_routes(api), *token_routes(), *plugin_files,
              Mount("/static", app=ThemeStatic(shell), name="static")]
    check_routes(routes, fw.access)

    def too_large(scope):
        return HTMLResponse(_plain_413(fw.default_locale(), limit), status_code=413)

    timing = [Middleware(ServerTiming)] if os.environ.get(TIMING_ENV) else []  # the bench's load run
    app = Starlette(routes=routes,
                    middleware=[Middleware(turns.WritersFirst), *timing, Middleware(SecurityHeaders, hsts=bool(config.get("hsts", False))),
                                Middleware(BodyLimit, limit=limit, too_large=too_large)],
                    exception_handlers={404: not_found, 405: not_found, 500: server_error})
    app.state.shell = shell
    app.state.api = api
    app.state.secure_cookie = bool(config.get("secure_cookie", False))
    return app


def _plain_413(locale: str, limit: int) -> str:
    """The 413 page sent before the body is read (no session yet: the install's language)."""
    message = translate(N_("the upload is larger than {mb} MB"), locale, mb=limit // 2**20)
    return (f'<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="/static/style.css">'
            f'<title>413</title><main class="narrow"><h1>413</h1><p class="error">{message}</p></main>')
