"""What an import remembers and what it shows before writing: saved column mappings and previews.

A floor imports the same export every month (钉钉's 原始记录, the door clock's CSV). Where the
reader cannot tell the columns by their names, the user maps them once — which row is the
header, which heading holds which column, which sheet — and saves the choice under a name of the
source (``钉钉原始记录``, ``门禁考勤机``), per project and import; next month's file of that
source is read with it and nothing is asked (`floorwalker … --mapping NAME`, or the page's list).

A preview (`Preview`) is an import run to its last check without writing: how many rows would be
added, changed and skipped as already there, and the rows refused with why (the first
`MAX_REFUSED`; an import itself stops at the first, writing nothing).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from . import validate
from .errors import FileRefused, ValidationError
from .i18n import N_
from .reading import Table, read_table, row_limit
from .store import now_iso

TABLE = "mappings"
MAX_REFUSED = 20


def _key(fw, project: str) -> str:
    return fw.store.plugin_key(project, "imports")


def _id(importer: str, name: str) -> str:
    return f"{importer}:{name}"


def saved(fw, project: str, importer: str | None = None) -> list[dict]:
    """The mappings saved for *project* (for one *importer*, e.g. ``attendance.punches``)."""
    docs = fw.store.table(_key(fw, project), TABLE).values()
    return sorted((d for d in docs if importer in (None, d["importer"])),
                  key=lambda d: (d["importer"], d["name"]))


def get(fw, project: str, importer: str, name: str) -> dict:
    doc = fw.store.table(_key(fw, project), TABLE).get(_id(importer, name))
    if doc is None:
        names = ", ".join(d["name"] for d in saved(fw, project, importer)) or "—"
        raise ValidationError(N_("mapping"), N_("no saved mapping {name!r} for this import; saved: {names}"),
                              name=name, names=names)
    return doc


def save(fw, project: str, importer: str, name: str, columns: dict, actor: str,
         header_row: int | None = None, sheet: str | None = None) -> dict:
    """Keep (or replace) the mapping *name* of *importer* in *project*."""
    name = validate.text(name, N_("mapping name"), validate.NAME_LIMIT, required=True)
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise ValidationError(N_("header row"), N_("must be at least {min}"), min=1)
    doc = {"id": _id(importer, name), "importer": importer, "name": name,
           "columns": {k: v for k, v in columns.items() if v}, "header_row": header_row,
           "sheet": sheet or None, "saved_by": actor, "saved_at": now_iso()}
    with fw.store.transaction(_key(fw, project), actor, "import.mapping.save") as tx:
        if tx.get(TABLE, doc["id"]) is None:
            tx.insert(TABLE, doc)
        else:
            tx.update(TABLE, doc["id"], doc)
    return doc


def remove(fw, project: str, importer: str, name: str, actor: str) -> None:
    get(fw, project, importer, name)
    with fw.store.transaction(_key(fw, project), actor, "import.mapping.remove") as tx:
        tx.remove(TABLE, _id(importer, name))


def fitting(fw, project: str, importer: str, path, fields, sheet: str | None = None
            ) -> list[tuple[dict, Table]]:
    """The saved mappings of *importer* that fit the file: every heading they name is in the
    header they read (on their header row, when they set one), and the importer's columns are
    all there; each with the file read through it."""
    fits = []
    for doc in saved(fw, project, importer):
        if not doc["columns"]:
            continue
        try:
            table = read_table(path, fields, limit=row_limit(fw), mapping=doc,
                               sheet=sheet or doc.get("sheet"))
        except ValidationError:
            continue
        if table.recognised and all(h in table.header for h in doc["columns"].values()):
            table.mapping_name = doc["name"]
            fits.append((doc, table))
    return fits


def read_for(fw, project: str, importer: str, path, fields, *, mapping: dict | None = None,
             sheet: str | None = None) -> Table:
    """*path* read for *importer*: with *mapping* when given; else by the columns' names, and
    when they do not tell, with the one saved mapping that fits (`Table.mapping_name` says
    which). Several fitting are refused listing them: the user chooses (``--mapping NAME``)."""
    table = read_table(path, fields, limit=row_limit(fw), mapping=mapping, sheet=sheet)
    if mapping or table.recognised or fields is None:
        return table
    fits = fitting(fw, project, importer, path, fields, sheet)
    if len(fits) > 1:
        raise FileRefused(N_("mapping"), N_("several saved mappings fit this file: {names}; "
                                            "choose one"), names=", ".join(d["name"] for d, _ in fits))
    return fits[0][1] if fits else table


@dataclass
class Preview:
    """An import checked to the end without writing anything."""

    counts: dict = field(default_factory=dict)  # "added", "changed", "already" … → rows
    refused: list = field(default_factory=list)  # ValidationError, each naming its row
    table: Table | None = None
    more_refused: bool = False
    warnings: list = field(default_factory=list)  # what would be written but breaks a limit


class _Enough(Exception):
    pass


class Checks:
    """Row checks that raise at once for an import and are gathered for a preview::

        checks = Checks(preview)
        for row, cells in rows:
            with checks.row():
                docs.append(check(row, cells))
        checks.done()   # a preview with refused rows stops here
    """

    def __init__(self, preview: bool):
        self.preview = preview
        self.refused: list[ValidationError] = []
        self.more = False

    @contextmanager
    def row(self):
        try:
            yield
        except ValidationError as exc:
            if not self.preview:
                raise
            if len(self.refused) == MAX_REFUSED:
                self.more = True
                raise _Enough from None
            self.refused.append(exc)

    def run(self, rows, check, progress=None, step: int = 500) -> list:
        """*check*(row, cells) of every row; what they return, or the first error for an import."""
        out = []
        try:
            for i, (row, cells) in enumerate(rows):
                with self.row():
                    out.append(check(row, cells))
                if progress and i % step == 0:
                    progress(i, len(rows))
        except _Enough:
            pass
        if progress:
            progress(len(rows), len(rows))
        return out

    def preview_of(self, table: Table | None, warnings: list | None = None, **counts) -> Preview:
        return Preview(counts=counts, refused=list(self.refused), table=table, more_refused=self.more,
                       warnings=list(warnings or ()))
