"""Administration: users, projects (with plugin toggles and settings forms), the install's
settings (the active theme and the default language), the audit log.

Forms post back to themselves: a `ValidationError` is shown beside the field it names and the
form keeps what was typed. Editing a project needs the project in the admin's own scope, like
every project page (the route's path names ``{project}``).
"""

from __future__ import annotations

from starlette.responses import Response

from . import validate
from .access import in_scope
from .auth import SESSIONS
from .errors import FloorwalkerError, ValidationError
from .i18n import LOCALES, N_
from .page import Page, page
from .plugins import plugin_title
from .projects import CHANNELS, STATUSES
from .settings_pages import SETTING_LIMIT, save_settings, settings_form
from .store import now_iso
from .templating import theme_names
from .users import ALL_PROJECTS, ROLES

# ValidationError.field (an English msgid) -> the form field it belongs beside
FIELD_OF = {"language": "locale", "employee number": "agent", "project": "slug", "plugin": "plugins"}
AUDIT_LIMIT = 300
HIDDEN_KEYS = {"password_hash", "secret", "csrf"}
LANGUAGE_NAMES = {"zh_CN": "中文（简体）", "en": "English"}  # each in its own language


def values(form: dict, key: str) -> list[str]:
    found = form.get(key, [])
    return [v for v in (found if isinstance(found, list) else [found]) if v != ""]


def field_error(p: Page, err: FloorwalkerError) -> dict:
    """The error keyed by the form field it belongs beside (``_form`` when it names none)."""
    if isinstance(err, ValidationError):
        return {FIELD_OF.get(str(err.field), str(err.field)): problem(p, err)}
    return {"_form": err.message(p.locale)}


def problem(p: Page, err: ValidationError) -> str:
    """The problem alone: beside its field, the field's name would only repeat the label."""
    return err.params["problem"].render(p.locale)


def overview(p: Page) -> Response:
    return p.render("admin/index.html", users=len(p.fw.users.all()), projects=len(p.fw.projects.all()))


# ---------------------------------------------------------------- users


def users(p: Page) -> Response:
    return p.render("admin/users.html", users=p.fw.users.all(), saved=_saved(p),
                    languages=LANGUAGE_NAMES, project_names=_project_names(p))


def _saved(p: Page) -> bool:
    """Whether the page is the answer to a save (``?saved=1``, after the redirect)."""
    return p.request.query_params.get("saved") == "1"


def _project_names(p: Page) -> dict:
    return {x["slug"]: x.get("name") or x["slug"] for x in p.fw.projects.all()}


def _plugin_titles(p: Page) -> dict:
    return {name: plugin_title(p.fw.pm, name, p.locale) for name in ["core", *p.fw.plugin_names()]}


def user_form(p: Page, user: dict | None = None, typed: dict | None = None, errors: dict | None = None,
              status: int = 200) -> Response:
    typed = typed if typed is not None else {
        "username": "", "name": "", "roles": [], "projects": [], "locale": p.fw.default_locale(),
        "agent": "", **(user or {})}
    return p.render("admin/user_form.html", http_status=status, edited=user, typed=typed,
                    errors=errors or {}, roles=ROLES, locales=LOCALES, project_names=_project_names(p),
                    projects=[ALL_PROJECTS] + [x["slug"] for x in p.fw.projects.all()])


def _typed_user(p: Page) -> dict:
    return {"username": str(p.form.get("username", "")).strip(), "name": str(p.form.get("name", "")).strip(),
            "roles": values(p.form, "roles"), "projects": values(p.form, "projects"),
            "locale": str(p.form.get("locale", "")), "agent": str(p.form.get("agent", "")).strip()}


def new_user(p: Page) -> Response:
    return user_form(p)


def create_user(p: Page) -> Response:
    typed = _typed_user(p)
    try:
        p.fw.users.add(typed["username"], str(p.form.get("password", "")), typed["roles"],
                       p.user["username"], name=typed["name"], projects=typed["projects"],
                       locale=typed["locale"] or None, agent=typed["agent"] or None)
    except FloorwalkerError as err:
        return user_form(p, typed=typed, errors=field_error(p, err), status=err.http_status)
    return p.redirect("/admin/users?saved=1")


def edit_user(p: Page) -> Response:
    return user_form(p, user=p.fw.users.get(p.params["username"]))


def update_user(p: Page) -> Response:
    user = p.fw.users.get(p.params["username"])
    typed = {**_typed_user(p), "username": user["username"]}
    try:
        p.fw.users.update(user["username"], p.user["username"], roles=typed["roles"],
                          projects=typed["projects"], locale=typed["locale"],
                          agent=typed["agent"] or None, name=typed["name"])
    except FloorwalkerError as err:
        return user_form(p, user=user, typed=typed, errors=field_error(p, err), status=err.http_status)
    return p.redirect("/admin/users?saved=1")


def toggle_user(p: Page) -> Response:
    """Disable (ending every session at once) or enable a user."""
    user = p.fw.users.get(p.params["username"])
    disable = not user["disabled"]
    p.fw.users.set_disabled(user["username"], disable, p.user["username"])
    if disable:
        p.shell.sessions.end_all(user["username"], p.user["username"])
    return p.redirect("/admin/users?saved=1")


# ---------------------------------------------------------------- projects


def projects(p: Page) -> Response:
    return p.render("admin/projects.html", projects=p.fw.projects.all(), saved=_saved(p),
                    plugin_titles=_plugin_titles(p),
                    editable={x["slug"] for x in p.fw.projects.all() if in_scope(p.user, x["slug"])})


def project_form(p: Page, typed: dict, errors: dict | None = None, status: int = 200,
                 turning_off: list | None = None) -> Response:
    """The project's form; *turning_off*, the plugins a save would turn off, asks first."""
    titles = _plugin_titles(p)
    return p.render("admin/project_form.html", http_status=status, typed=typed, errors=errors or {},
                    statuses=STATUSES, channels=CHANNELS, plugins=p.fw.plugin_names(),
                    plugin_titles=titles, schemas=sorted(p.fw.settings_schemas, key=lambda s: s != "core"),
                    turning_off=[titles[x] for x in turning_off or []])


def new_project(p: Page) -> Response:
    return project_form(p, {"slug": "", "client": "", "name": "", "channels": ["voice"],
                            "timezone": "Asia/Shanghai", "plugins": p.fw.plugin_names(), "new": True})


def _typed_project(p: Page) -> dict:
    return {"slug": str(p.form.get("slug", "")).strip(), "client": str(p.form.get("client", "")).strip(),
            "name": str(p.form.get("name", "")).strip(), "channels": values(p.form, "channels"),
            "timezone": str(p.form.get("timezone", "")).strip() or "Asia/Shanghai",
            "status": str(p.form.get("status", "active")), "plugins": values(p.form, "plugins")}


def create_project(p: Page) -> Response:
    typed = {**_typed_project(p), "new": True}
    try:
        p.fw.projects.create(typed["slug"], typed["client"], p.user["username"], name=typed["name"] or None,
                             channels=typed["channels"] or ["voice"], timezone=typed["timezone"],
                             plugins=typed["plugins"])
    except FloorwalkerError as err:
        return project_form(p, typed, field_error(p, err), status=err.http_status)
    return p.redirect("/admin/projects?saved=1")


def actions_form(p: Page, saved: bool = False, error: str = "", status: int = 200) -> Response:
    """Who may do what in the project: a row per action, a tick per role that may hold it."""
    access = p.fw.access
    rows = [{"action": a, "held": access.roles(name, p.project), "grantable": access.grantable(name),
             "chosen": name in (p.project.get("actions") or {})}
            for name, a in _project_actions(p)]
    return p.render("admin/actions.html", http_status=status, actions=rows, roles=ROLES,
                    saved=saved or p.request.query_params.get("saved") == "1", error=error)


def _project_actions(p: Page) -> list:
    """The actions a project may give out: the core's, then each enabled plugin's, each in the
    order its plugin declared them (what one sees before what one changes)."""
    order = ["core", *p.project["plugins"]]
    found = [(name, a) for name, a in p.fw.access.actions.items()
             if a.scoped and "*" not in a.roles and a.plugin in order]
    return sorted(found, key=lambda item: order.index(item[1].plugin))


def save_actions(p: Page) -> Response:
    def ticked(name):
        value = p.form.get(name, [])
        return [value] if isinstance(value, str) else list(value)
    if p.form.get("seen") != "1":  # a form that lists no action must not take every one away
        return actions_form(p, error=p._(N_("the form is incomplete; reload the page")), status=422)
    access = p.fw.access
    choices = {name: ticked(name) for name, _ in _project_actions(p)}
    try:
        access.choose(p.project["slug"], choices, p.user["username"])
    except FloorwalkerError as err:
        return actions_form(p, error=err.message(p.locale), status=err.http_status)
    return p.redirect(f"/admin/projects/{p.project['slug']}/actions?saved=1")


def edit_project(p: Page) -> Response:
    return project_form(p, {**p.project, "new": False})


def update_project(p: Page) -> Response:
    typed = {**p.project, **_typed_project(p), "slug": p.project["slug"], "new": False}
    slug, actor = p.project["slug"], p.user["username"]
    turning_off = [x for x in p.fw.plugin_names() if x in p.project["plugins"] and x not in typed["plugins"]]
    if turning_off and p.form.get("confirm") != "off":  # nothing is saved until it is confirmed
        try:  # a form that cannot be saved says so first
            validate.text(typed["client"], "client", validate.NAME_LIMIT, required=True)
        except ValidationError as err:
            return project_form(p, typed, field_error(p, err), status=err.http_status)
        return project_form(p, typed, turning_off=turning_off)
    try:
        for key in ("client", "name", "status", "timezone", "channels"):
            if typed[key] != p.project.get(key):
                p.fw.projects.set(slug, key, typed[key], actor)
        for plugin in p.fw.plugin_names():
            if plugin in typed["plugins"] and plugin not in p.project["plugins"]:
                p.fw.projects.enable(slug, plugin, actor)
            elif plugin not in typed["plugins"] and plugin in p.project["plugins"]:
                p.fw.projects.disable(slug, plugin, actor)
    except FloorwalkerError as err:
        return project_form(p, typed, field_error(p, err), status=err.http_status)
    return p.redirect("/admin/projects?saved=1")


# ---------------------------------------------------------------- the install


# the shipped themes by title; a company's own theme is shown by its folder's name
THEME_TITLES = {"default": N_("Light (default)"), "dark": N_("Dark")}


def theme_title(p: Page, theme: str) -> str:
    return p._(THEME_TITLES[theme]) if theme in THEME_TITLES else theme


def install_form(p: Page, typed: dict | None = None, errors: dict | None = None, status: int = 200,
                 saved: bool = False) -> Response:
    typed = typed or {"theme": p.shell.theme(), "default_locale": p.fw.default_locale()}
    return p.render("admin/install.html", http_status=status, typed=typed, errors=errors or {},
                    saved=saved, theme_options=[(t, theme_title(p, t)) for t in theme_names(p.fw.store.root)],
                    locale_options=[(code, LANGUAGE_NAMES.get(code, code)) for code in LOCALES])


def save_install(p: Page) -> Response:
    """Store the theme and the default language; the next page already uses them."""
    typed = {key: str(p.form.get(key, "")) for key in ("theme", "default_locale")}
    errors = {}
    themes = theme_names(p.fw.store.root)
    if typed["theme"] not in themes:
        errors["theme"] = ValidationError(N_("theme"), N_("must be one of {choices}"),
                                          choices=", ".join(theme_title(p, t) for t in themes))
    if typed["default_locale"] not in LOCALES:
        errors["default_locale"] = ValidationError(N_("language"), N_("must be one of {choices}"),
                                                   choices=", ".join(LOCALES))
    if errors:
        return install_form(p, typed, {k: problem(p, e) for k, e in errors.items()}, status=422)
    p.fw.set_install(p.user["username"], **typed)
    p.theme = p.shell.theme()
    return install_form(p, saved=True)


# ---------------------------------------------------------------- audit


def audit(p: Page) -> Response:
    """The audit log, newest first, filtered by project, table, user, action and day, of one
    month — the day's, or the one picked — or by default of this month and the one before:
    older months are in audit files of their own, read only when asked for."""
    q = p.request.query_params
    project, table, actor, action, day, month = (q.get(k, "").strip() for k in
                                                  ("project", "table", "user", "action", "date", "month"))
    errors = {}
    for name, value, check in (("date", day, validate.date), ("month", month, validate.month)):
        try:
            value and check(value)
        except ValidationError as err:
            errors[name] = problem(p, err)
    day, month = ("" if "date" in errors else day), ("" if "month" in errors else month)
    this = now_iso()[:7]
    months = [day[:7]] if day else [month] if month else [_month_before(this), this]
    prefix = f"projects/{project}" if project else ""
    found = []
    for entry in p.fw.store.audit_entries(prefix, months):
        if entry["file"] == SESSIONS and table != SESSIONS:
            continue
        tables = [c["table"] for c in entry["changes"]]
        if (table and table not in tables) or (actor and entry["actor"] != actor):
            continue
        if (action and not entry["action"].startswith(action)) or (day and not entry["at"].startswith(day)):
            continue
        found.append({**entry, "changes": [_redacted(c) for c in entry["changes"]]})
    found.sort(key=lambda e: e["at"], reverse=True)
    return p.render("admin/audit.html", 422 if errors else 200, entries=found[:AUDIT_LIMIT],
                    total=len(found), months=months, errors=errors,
                    filters={"project": project, "table": table, "user": actor, "action": action,
                             "date": day, "month": month},
                    projects=[x["slug"] for x in p.fw.projects.all()])


def _month_before(month: str) -> str:
    year, mon = map(int, month.split("-"))
    return f"{year - (mon == 1):04d}-{(mon - 2) % 12 + 1:02d}"


def _redacted(value):
    if isinstance(value, dict):
        return {k: ("•••" if k in HIDDEN_KEYS else _redacted(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v) for v in value]
    return value


def routes():
    post = ("POST",)
    return [
        page("/admin/", overview, "admin.users"),
        page("/admin/users", users, "admin.users"),
        page("/admin/users/new", new_user, "admin.users"),
        page("/admin/users/new", create_user, "admin.users", methods=post),
        page("/admin/users/{username}", edit_user, "admin.users"),
        page("/admin/users/{username}", update_user, "admin.users", methods=post),
        page("/admin/users/{username}/toggle", toggle_user, "admin.users", methods=post),
        page("/admin/projects", projects, "admin.projects"),
        page("/admin/projects/new", new_project, "admin.projects"),
        page("/admin/projects/new", create_project, "admin.projects", methods=post),
        page("/admin/projects/{project}", edit_project, "admin.project"),
        page("/admin/projects/{project}", update_project, "admin.project", methods=post),
        page("/admin/projects/{project}/actions", actions_form, "admin.project"),
        page("/admin/projects/{project}/actions", save_actions, "admin.project", methods=post),
        page("/admin/projects/{project}/settings/{plugin}", settings_form, "admin.project"),
        page("/admin/projects/{project}/settings/{plugin}", save_settings, "admin.project", methods=post,
             limits={"*": SETTING_LIMIT}),
        page("/admin/settings", install_form, "admin.settings"),
        page("/admin/settings", save_install, "admin.settings", methods=post),
        page("/admin/audit", audit, "admin.audit"),
    ]
