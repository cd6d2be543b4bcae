"""What every import command shares: ``--mapping``, ``--sheet`` and ``--dry-run``, the preview
they print, and ``floorwalker mapping`` to list, save and remove the saved column mappings.

The CLI never prompts: a file whose header it finds and whose columns it matches by name is
imported at once; ``--dry-run`` prints what would happen and writes nothing; a file it does not
recognise is refused with the columns it found, and the saved mappings that could read it.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import mappings
from ..errors import FileRefused, ValidationError
from ..i18n import N_, translate
from . import Session, format_option, project_option

CORE_IMPORTS = {"core.agents": N_("Agents"), "core.scores": N_("Score events")}


def import_options(f):
    """``--mapping NAME``, ``--sheet NAME`` and ``--dry-run`` for an import command."""
    f = click.option("--dry-run", is_flag=True,
                     help="Check the file and print what the import would do; write nothing.")(f)
    f = click.option("--sheet", help="The workbook's sheet to read (default: the first that fits).")(f)
    f = click.option("--mapping", "mapping_name",
                     help="A saved column mapping of this import (`floorwalker mapping list`).")(f)
    return f


def saved_mapping(s: Session, project: str, importer: str, name: str | None) -> dict | None:
    return mappings.get(s.fw, project, importer, name) if name else None


def _fields(s: Session, importer: str):
    from ..importing import AGENT_FIELDS, EVENT_FIELDS

    if importer in CORE_IMPORTS:
        return AGENT_FIELDS if importer == "core.agents" else EVENT_FIELDS
    found = s.fw.importers.get(importer)
    return found.fields if found is not None else None


def run_import(s: Session, importer: str, project: str, file: str, run, *, mapping_name=None,
               sheet=None, dry_run=False, fmt="table", count_title=None):
    """*run*(mapping=, sheet=, dry_run=) with the saved mapping (named, or else the one saved
    mapping that fits a file not recognised by its column names, said so); a preview is printed
    (as JSON with ``fmt="json"``; exit 1 when rows are refused); an unrecognised file's refusal
    names the saved mappings to try, several fitting ones are refused listing them."""
    mapping = saved_mapping(s, project, importer, mapping_name)
    fields = _fields(s, importer)
    try:
        if mapping is None and fields is not None:
            table = mappings.read_for(s.fw, project, importer, file, fields, sheet=sheet)
            if table.mapping_name:
                mapping = mappings.get(s.fw, project, importer, table.mapping_name)
                if fmt != "json":
                    s.say(N_("Read with the saved mapping {name}."), name=table.mapping_name)
        done = run(mapping=mapping, sheet=sheet, dry_run=dry_run)
    except FileRefused as exc:
        if exc.field == N_("columns") and not mapping_name:
            names = ", ".join(m["name"] for m in mappings.saved(s.fw, project, importer))
            hint = N_("save a column mapping (`floorwalker mapping save`) and import with "
                      "--mapping NAME; saved: {names}")
            s.warn(hint, names=names or "—")
        raise
    if dry_run:
        if fmt == "json":
            click.echo(json.dumps(preview_json(s, Path(file).name, done, count_title),
                                  ensure_ascii=False, indent=2))
        else:
            show_preview(s, Path(file).name, done, count_title)
        if done.refused:
            raise click.exceptions.Exit(1)
        return None
    return done


def _count_title(s: Session, key: str, count_title=None) -> str:
    if count_title is not None:
        return count_title(key, s.locale)
    return translate(COUNT_TITLES.get(key, key), s.locale)


def preview_json(s: Session, name: str, preview, count_title=None) -> dict:
    """The preview as data: counts (key, title, number), refused rows (row, field, message),
    warnings, the header row and which heading holds each column."""
    table = preview.table
    return {
        "file": name, "written": False,
        "sheet": table.sheet if table is not None else None,
        "header_row": table.header.row if table is not None else None,
        "mapping": (table.mapping_name or None) if table is not None else None,
        "columns": [{"key": k, "title": table.fields.title(k, s.locale) if table.fields else k,
                     "heading": h} for k, h in table.found.items()] if table is not None else [],
        "counts": {k: {"title": _count_title(s, k, count_title), "rows": v}
                   for k, v in preview.counts.items()},
        "refused": [{"row": exc.row, "field": translate(exc.field, s.locale),
                     "message": exc.message(s.locale)} for exc in preview.refused],
        "more_refused": preview.more_refused,
        "warnings": [w.message(s.locale) for w in preview.warnings],
    }


def show_preview(s: Session, name: str, preview, count_title=None) -> None:
    table = preview.table
    where = ""
    if table is not None:
        if table.mapping_name:
            s.say(N_("Read with the saved mapping {name}."), name=table.mapping_name)
        s.say(N_("{file}: header on row {row}{sheet}; {above} rows above it skipped, {totals} totals "
                 "rows dropped."), file=name, row=table.header.row,
              sheet=translate(N_(", sheet {sheet}"), s.locale, sheet=table.sheet) if table.sheet else where,
              above=table.skipped_above, totals=table.totals_dropped)
        for key, heading in table.found.items():
            title = table.fields.title(key, s.locale) if table.fields is not None else key
            s.say(N_("  column {key} ← {heading}"), key=title, heading=heading)
    counts = ", ".join(f"{_count_title(s, k, count_title)} {v}" for k, v in preview.counts.items())
    s.say(N_("Would import: {counts}; refused rows: {refused}{more}. Nothing was written."),
          counts=counts, refused=len(preview.refused), more="+" if preview.more_refused else "")
    for exc in preview.refused:
        click.echo("  " + exc.message(s.locale))
    for warning in preview.warnings:
        click.echo("  " + translate(N_("warning: {text}"), s.locale, text=warning.message(s.locale)))


COUNT_TITLES = {"added": N_("added"), "changed": N_("changed"), "already": N_("already there")}


def _importers(s: Session) -> dict[str, str]:
    return {**CORE_IMPORTS, **{k: i.title(s.locale) for k, i in s.fw.importers.items()}}


@click.group()
def mapping():
    """Saved column mappings of the imports, per project and source."""


@mapping.command("list")
@project_option
@format_option
@click.pass_obj
def mapping_list(s: Session, project, fmt):
    """List the saved mappings of a project's imports."""
    s.fw.projects.get(project)
    rows = [{"importer": m["importer"], "name": m["name"], "header_row": m["header_row"] or "",
             "sheet": m["sheet"] or "",
             "columns": ", ".join(f"{k}={v}" for k, v in m["columns"].items())}
            for m in mappings.saved(s.fw, project)]
    s.show(rows, [("importer", N_("import")), ("name", N_("name")), ("header_row", N_("header row")),
                  ("sheet", N_("sheet")), ("columns", N_("columns"))], fmt)


@mapping.command("save")
@click.argument("importer")
@click.argument("name")
@project_option
@click.option("--column", "columns", multiple=True, metavar="KEY=HEADING",
              help="Which heading holds a column, e.g. agent=员工ID (repeatable).")
@click.option("--header-row", type=int, help="The row of the file's header (default: found).")
@click.option("--sheet", help="The workbook's sheet to read.")
@click.pass_obj
def mapping_save(s: Session, importer, name, project, columns, header_row, sheet):
    """Save (or replace) a column mapping NAME of IMPORTER (see `floorwalker import`)."""
    s.fw.projects.get(project)
    if importer not in _importers(s):
        raise ValidationError(N_("import"), N_("no import {kind!r}; `floorwalker import` lists them"),
                              kind=importer)
    chosen = {}
    for pair in columns:
        key, sep, heading = pair.partition("=")
        if not sep or not key.strip() or not heading.strip():
            raise ValidationError(N_("column"), N_("expected KEY=HEADING, got {value!r}"), value=pair)
        chosen[key.strip()] = heading.strip()
    mappings.save(s.fw, project, importer, name, chosen, s.actor, header_row=header_row, sheet=sheet)
    s.say(N_("Saved the mapping {name} of {importer} in project {project}."), name=name,
          importer=importer, project=project)


@mapping.command("remove")
@click.argument("importer")
@click.argument("name")
@project_option
@click.pass_obj
def mapping_remove(s: Session, importer, name, project):
    """Remove a saved column mapping."""
    mappings.remove(s.fw, project, importer, name, s.actor)
    s.say(N_("Removed the mapping {name} of {importer}."), name=name, importer=importer)


COMMANDS = (mapping,)
