"""The settings page of a plugin in a project: every setting a real input (a number, a time, a
table of rows, a labelled number per key), grouped under the headings the plugin gives, titled
with the plugin's name in the reader's language; never JSON, never a setting's key.

The form posts back to itself: each wrong input shows its problem beside it (a row's beside
the row), the page keeps what was typed, and nothing is saved until every setting passes.
"""

from __future__ import annotations

from starlette.responses import Response

from .errors import FloorwalkerError, NotFound, ValidationError
from .i18n import N_
from .page import Page
from .plugins import plugin_title
from .setting_forms import FormErrors, blank_rows, options, parsed, posted, shown

# a table of rows (the stage goals of every team, the points of every rule) is longer than a note
SETTING_LIMIT = 20_000


def _schema(p: Page) -> dict:
    schema = p.fw.settings_schemas.get(p.params["plugin"])
    if schema is None:
        raise NotFound(N_("there is nothing at this address"))
    return schema


def _groups(p: Page, schema: dict) -> list[tuple[str, list]]:
    """The settings under their headings, in the order the plugin declared them; where the
    plugin gives headings, one it left without goes under "Other settings"."""
    groups: dict[str, list] = {}
    for setting in schema.values():
        heading = setting.group_zh if p.locale.startswith("zh") and setting.group_zh else setting.group_en
        groups.setdefault(heading, []).append(setting)
    if len(groups) > 1 and "" in groups:
        groups[p._(N_("Other settings"))] = groups.pop("")
    return list(groups.items())


def settings_form(p: Page, typed: dict | None = None, errors: dict | None = None, status: int = 200,
                  saved: bool = False) -> Response:
    plugin = p.params["plugin"]
    schema = _schema(p)
    choices = {key: options(p.fw, p.project, s) for key, s in schema.items()}
    if typed is None:
        current = p.fw.projects.settings(p.project, plugin)
        typed = {k: shown(s, current[k], choices[k], p.locale) for k, s in schema.items()}
    # a few empty rows below each table to add to
    typed = {k: (v + blank_rows(schema[k]) if schema[k].type == "rows" else v) for k, v in typed.items()}
    return p.render("admin/settings_form.html", http_status=status, plugin=plugin,
                    plugin_title=plugin_title(p.fw.pm, plugin, p.locale), groups=_groups(p, schema),
                    typed=typed, choices=choices, errors=errors or {}, saved=saved)


def save_settings(p: Page) -> Response:
    """Check each setting on its own so every wrong one shows its error; save only when all pass."""
    plugin = p.params["plugin"]
    schema = _schema(p)
    typed = {key: posted(setting, p.form) for key, setting in schema.items()}
    errors, changes = {}, {}
    for key, setting in schema.items():
        try:
            changes[key] = parsed(setting, typed[key], options(p.fw, p.project, setting), p.locale)
        except FormErrors as err:
            errors.update(err.errors)
    if not errors:
        try:
            p.project = p.fw.projects.configure(p.project["slug"], plugin, changes, p.user["username"],
                                                   user=p.user)
        except FloorwalkerError as err:
            errors = ({str(err.field): err.params["problem"].render(p.locale)}
                      if isinstance(err, ValidationError) else {"_form": err.message(p.locale)})
    if errors:
        return settings_form(p, typed, errors, status=422)
    return settings_form(p, saved=True)
