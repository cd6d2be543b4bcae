"""``floorwalker store copy``: move the data from the files of a folder to PostgreSQL, and back.

All or nothing, and verified: the copy is read back and compared with its source per project
and month (shards, documents, audit entries and a digest of them, `core/moving.py`) before it
is committed (PostgreSQL) or renamed into place (files); the table of that comparison is
printed either way.
"""

from __future__ import annotations

import click

from .. import moving, pgmoving
from ..i18n import N_, gettext
from . import Session, format_option

COLUMNS = [("project", N_("project")), ("month", N_("month")), ("shards", N_("shards")),
           ("documents", N_("documents")), ("audit", N_("audit entries")), ("ok", N_("digest ok"))]


@click.group("store")
def store():
    """Move the data between the data folder's files and PostgreSQL."""


@store.command("copy")
@click.option("--from", "source", required=True, metavar="DIR|URL",
              help="A data folder, or a PostgreSQL database (postgresql://…).")
@click.option("--to", "destination", required=True, metavar="DIR|URL",
              help="The other end: an empty data folder, or a database whose schema is empty.")
@click.option("--schema", default="floorwalker", show_default=True,
              help="The schema of the database end.")
@click.option("--replace", is_flag=True, help="Replace the data the database schema already holds.")
@format_option
@click.pass_obj
def copy(s: Session, source, destination, schema, replace, fmt):
    """Copy every shard with its audit, all or nothing, verified by counts and digests."""
    try:
        rows = pgmoving.copy(source, destination, schema=schema, replace=replace)
    except moving.CopyMismatch as exc:
        _show(s, exc.rows, fmt)
        raise
    _show(s, rows, fmt)
    if fmt == "table":
        s.say(N_("Copied {shards} shards ({documents} documents, {entries} audit entries) from "
                 "{source} to {destination}; every count and digest matches."),
              shards=sum(r["shards"] for r in rows), documents=sum(r["documents"] for r in rows),
              entries=sum(r["audit"] for r in rows), source=moving.shown_url(source),
              destination=moving.shown_url(destination))


def _show(s: Session, rows: list[dict], fmt: str) -> None:
    if fmt == "table":
        rows = [{**r, "project": r["project"] or "-", "month": r["month"] or "-",
                 "ok": gettext(N_("same") if r["ok"] else N_("DIFFERENT"), s.locale)} for r in rows]
    s.show(rows, COLUMNS, fmt)


COMMANDS = (store,)
