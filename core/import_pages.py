"""The import page: every import of a project (the core's and the plugins'), with a preview.

A file goes up, is kept under ``<data>/uploads/<token>/`` while the user looks at the preview —
the sheet and the header row the reader chose, which heading holds which column (each a select
to change), the first rows, how many rows would be added, changed or skipped as already there,
and the rows refused with why — then "import" writes it, all or nothing, or "cancel" drops it.
A mapping chosen here can be saved under the source's name (钉钉原始记录, 门禁考勤机) and is
offered, and applied, next month. Uploads left behind are removed after `UPLOAD_HOURS`.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode

from . import mappings
from .errors import FloorwalkerError, NotFound, ValidationError
from .i18n import N_, translate
from .importing import (AGENT_FIELDS, EVENT_FIELDS, agents_from, row_limit, score_events_from)
from .page import Page, page
from .reading import read_table
from .mappings import read_for

UPLOAD_HOURS = 6
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
COUNT_TITLES = {"added": N_("added"), "changed": N_("changed"), "already": N_("already there"),
                "rows": N_("rows"), "cells": N_("cells")}


@dataclass(frozen=True)
class Kind:
    """One import as the page offers it."""

    key: str
    title_en: str
    title_zh: str
    action: str
    fields: object
    preview: Callable  # (fw, project doc, table, **options) -> Preview
    run: Callable  # (fw, project doc, table, actor, **options) -> counts
    options: tuple = ()
    counts: tuple = ()  # (key, (English, Chinese)) titles of its counts, beyond COUNT_TITLES

    def title(self, locale: str) -> str:
        return self.title_zh if locale.startswith("zh") else self.title_en

    def count_title(self, key: str, locale: str) -> str:
        """A count's title in the reader's language (超过连续工作上限), never its key."""
        titles = dict(self.counts)
        if key in titles:
            en, zh = titles[key]
            return zh if locale.startswith("zh") else en
        return translate(COUNT_TITLES.get(key, key), locale)


def _core_kinds() -> list[Kind]:
    return [
        Kind("core.agents", "Agents", "坐席名单", "agents.import", AGENT_FIELDS,
             lambda fw, project, table: agents_from(fw, project["slug"], table, "", dry_run=True),
             lambda fw, project, table, actor: {"added": agents_from(fw, project["slug"], table, actor)}),
        Kind("core.scores", "Score events", "考核记录", "scores.import", EVENT_FIELDS,
             lambda fw, project, table: score_events_from(fw, project["slug"], table, "", dry_run=True),
             lambda fw, project, table, actor: {"added": score_events_from(fw, project["slug"], table,
                                                                             actor)}),
    ]


def kinds(p: Page) -> dict[str, Kind]:
    """The imports of this project the user may run."""
    found = _core_kinds()
    for key, importer in sorted(p.fw.importers.items()):
        if importer.plugin not in p.project["plugins"] or importer.fields is None \
                or importer.preview is None:
            continue
        found.append(Kind(key, importer.title_en, importer.title_zh,
                          importer.action or "scores.import", importer.fields, importer.preview,
                          lambda fw, project, table, actor, _run=importer.run, **o:
                          _run(fw, project, table.rows, actor, **o) or {},
                          importer.options, tuple(importer.counts.items())))
    return {k.key: k for k in found if p.can(k.action)}


def column_title(fields, key: str, locale: str) -> str:
    """The column's title in the reader's language (工号 / employee number), never its key."""
    return fields.title(key, locale)


# ---------------------------------------------------------------- uploads


def _uploads(p: Page) -> Path:
    return p.fw.store.root / "uploads"


def _keep(p: Page, upload) -> tuple[str, Path]:
    filename = Path(getattr(upload, "filename", "") or "").name
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(N_("file"), N_("use a .csv or .xlsx file, got {name}"), name=filename or "-")
    folder = _uploads(p)
    _sweep(folder)
    token = secrets.token_urlsafe(18)
    path = folder / token / filename
    path.parent.mkdir(parents=True, mode=0o700)
    with path.open("wb") as out:
        shutil.copyfileobj(upload.file, out)
    path.chmod(0o600)
    return token, path


def _sweep(folder: Path) -> None:
    if not folder.is_dir():
        folder.mkdir(mode=0o700, exist_ok=True)
        return
    old = time.time() - UPLOAD_HOURS * 3600
    for entry in folder.iterdir():
        if entry.is_dir() and entry.stat().st_mtime < old:
            shutil.rmtree(entry, ignore_errors=True)


def _kept(p: Page, token: str) -> Path:
    folder = _uploads(p) / token
    files = sorted(folder.iterdir()) if _TOKEN.match(token or "") and folder.is_dir() else []
    if not files:
        raise ValidationError(N_("file"), N_("the uploaded file is gone (older than {hours} hours, or "
                                             "imported already); upload it again"), hours=UPLOAD_HOURS)
    return files[0]


def _drop(p: Page, token: str) -> None:
    if _TOKEN.match(token or ""):
        shutil.rmtree(_uploads(p) / token, ignore_errors=True)


# ---------------------------------------------------------------- pages


def _field(p: Page, name: str) -> str:
    value = p.form.get(name, p.request.query_params.get(name, ""))
    return value.strip() if isinstance(value, str) else ""


def _back(p: Page) -> str:
    back = _field(p, "back")
    base = f"/p/{p.project['slug']}/"
    return back if back.startswith(base) and "//" not in back[1:] else f"{base}import"


def index(p: Page):
    offered = kinds(p)
    saved = {k: mappings.saved(p.fw, p.project["slug"], k) for k in offered}
    done = {k: v for k, v in p.request.query_params.items() if k.startswith("n_")}
    return p.render("imports.html", kinds=offered, saved=saved, done=done,
                    done_kind=p.request.query_params.get("done", ""), count_titles=COUNT_TITLES,
                    column_title=column_title, back=_back(p))


def _mapping(p: Page, kind: Kind) -> dict:
    """The choices of the form: a saved mapping, then the user's own (header row, sheet, columns)."""
    chosen = _field(p, "mapping")
    mapping = dict(mappings.get(p.fw, p.project["slug"], kind.key, chosen)) if chosen else {}
    columns = dict(mapping.get("columns") or {})
    for key in kind.fields.columns:
        if f"col_{key}" in p.form:
            heading = _field(p, f"col_{key}")
            if heading:
                columns[key] = heading
            else:
                columns.pop(key, None)
    mapping["columns"] = columns
    row = _field(p, "header_row")
    if row:
        if not row.isdigit() or int(row) < 1:
            raise ValidationError(N_("header row"), N_("expected a whole number, got {value!r}"), value=row)
        mapping["header_row"] = int(row)
    sheet = _field(p, "sheet")
    if sheet:
        mapping["sheet"] = sheet
    return mapping


def _options(p: Page, kind: Kind) -> dict:
    return {name: _field(p, name) or None for name in kind.options}


def upload(p: Page):
    """POST: an upload (or the kept file again, with the user's choices): the preview, or with
    ``step=import`` the import itself, or with ``step=cancel`` nothing."""
    kind = kinds(p).get(p.params["kind"])
    if kind is None:
        raise NotFound(N_("no import {kind!r}"), kind=p.params["kind"])
    p.authorize(kind.action)
    step = _field(p, "step")
    token = _field(p, "token")
    if step == "cancel":
        _drop(p, token)
        return p.redirect(_back(p))
    try:
        if getattr(p.form.get("file"), "filename", ""):
            _drop(p, token)
            token, path = _keep(p, p.form["file"])
        else:
            path = _kept(p, token)
        mapping = _mapping(p, kind)
        chosen = mapping if mapping.get("columns") or mapping.get("header_row") else None
        table = read_for(p.fw, p.project["slug"], kind.key, path, kind.fields, mapping=chosen,
                         sheet=mapping.get("sheet"))
        if table.mapping_name and not chosen:
            mapping = dict(mappings.get(p.fw, p.project["slug"], kind.key, table.mapping_name))
        if step == "import":
            counts = kind.run(p.fw, p.project, table, p.user["username"], **_options(p, kind))
            save_as = _field(p, "save_as")
            if save_as:
                mappings.save(p.fw, p.project["slug"], kind.key, save_as,
                              {k: table.found.get(k, "") for k in kind.fields.columns},
                              p.user["username"], header_row=table.header.row, sheet=table.sheet)
            _drop(p, token)
            query = {"done": kind.key, "back": _back(p),
                     **{f"n_{k}": v for k, v in counts.items() if isinstance(v, int)}}
            return p.redirect(f"/p/{p.project['slug']}/import?{urlencode(query)}")
        preview = kind.preview(p.fw, p.project, table, **_options(p, kind))
    except FloorwalkerError as err:
        return _again(p, kind, token, err)
    return p.render("import_preview.html", kind=kind, token=token, table=table, preview=preview,
                    file=path.name, mapping=mapping, options=_options(p, kind),
                    saved=mappings.saved(p.fw, p.project["slug"], kind.key),
                    count_titles=COUNT_TITLES, column_title=column_title, back=_back(p),
                    chosen_mapping=_field(p, "mapping") or table.mapping_name)


def _again(p: Page, kind: Kind, token: str, err: FloorwalkerError):
    """The file could not be read as chosen: say why, with its first rows when it has any, so
    the user can pick the header row and the columns."""
    table = None
    if token and _TOKEN.match(token):
        try:
            table = read_table(_kept(p, token), kind.fields, limit=row_limit(p.fw))
        except FloorwalkerError:
            table = None
    return p.render("import_preview.html", http_status=422, kind=kind, token=token if table else "",
                    table=table, preview=None, error=err.message(p.locale),
                    file=_kept(p, token).name if table else "", mapping={}, options=_options(p, kind),
                    saved=mappings.saved(p.fw, p.project["slug"], kind.key),
                    count_titles=COUNT_TITLES, column_title=column_title, back=_back(p),
                    chosen_mapping="")


def routes():
    return [
        page("/p/{project}/import", index, "imports.use"),
        page("/p/{project}/import/{kind}", upload, "imports.use", methods=("POST",)),
    ]
