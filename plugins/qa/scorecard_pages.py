"""The QA standard's pages: the versions, one version with the scoring formula, the editor (a
form in the spreadsheet's columns, never JSON), the xlsx import and export, publishing.

The editor shows the draft's rows and a few empty ones below them (rows are added without
JavaScript: fill an empty row and save; an empty row is dropped), the forbidden phrases one per
line. A published or archived version opens read-only; "new draft" copies the published one.
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path

from starlette.responses import Response

from floorwalker.core import N_, FloorwalkerError, ValidationError, validate

from . import scorecards, workbook
from .actions import STANDARD
from .config import NAME

BLANK_ROWS = 5
LABELS = {"section": N_("Section"), "weight": N_("Weight"), "item": N_("Item"), "type": N_("Type"),
          "max": N_("Full marks"), "fatal": N_("Fatal"), "note": N_("Note"),
          "forbidden": N_("Forbidden phrases")}
TYPES = {"yesno": N_("Yes/no"), "scale": N_("Scale (half points)"), "points": N_("Points")}
FATAL = {"none": N_("None"), "section": N_("Zeroes its section"), "all": N_("Zeroes the evaluation")}


def base(p) -> str:
    return f"/p/{p.project['slug']}/{NAME}"


def index(p, error: str | None = None, status: int = 200) -> Response:
    slug = p.project["slug"]
    return p.render("qa/scorecards.html", http_status=status, versions=scorecards.versions(p.fw, slug),
                    states=scorecards.STATES, base=base(p), error=error,
                    can_edit=p.can(STANDARD),
                    draft=scorecards.in_state(p.fw, slug, "draft"),
                    published=scorecards.in_state(p.fw, slug, "published"))


def view(p) -> Response:
    doc = scorecards.get(p.fw, p.project["slug"], p.params["id"])
    cap = p.fw.projects.settings(p.project, NAME)["score_cap"]
    return p.render("qa/scorecard.html", card=doc, states=scorecards.STATES, base=base(p),
                    types=TYPES, fatal=FATAL, cap=cap, can_edit=p.can(STANDARD),
                    total_points=sum(i["max"] for s in doc["sections"] for i in s["items"]))


def export(p) -> Response:
    doc = scorecards.get(p.fw, p.project["slug"], p.params["id"])
    return p.download(workbook.export(doc), f"{p.project['slug']}-质检标准-v{doc['version']}.xlsx")


def publish(p) -> Response:
    slug = p.project["slug"]
    try:
        doc = scorecards.publish(p.fw, slug, p.params["id"], p.user["username"])
    except FloorwalkerError as err:
        if err.http_status == 404:
            raise
        return index(p, err.message(p.locale), err.http_status)
    return p.redirect(f"{base(p)}/scorecards/{doc['id']}")


def start(p) -> Response:
    """A new draft: a copy of the published version; with none published, the empty editor."""
    if scorecards.in_state(p.fw, p.project["slug"], "published") is not None:
        scorecards.start_draft(p.fw, p.project["slug"], p.user["username"])
    return p.redirect(f"{base(p)}/scorecards/draft")


def _rows_of(card: dict | None) -> list[dict]:
    rows = scorecards.card_rows(card) if card else []
    return [{k: ("" if v is None else v) for k, v in r.items()} for r in rows]


def _editor(p, rows: list[dict], title: str, forbidden: str, error: str | None = None,
            bad_row: int | None = None, status: int = 200) -> Response:
    draft = scorecards.in_state(p.fw, p.project["slug"], "draft")
    blank = {k: "" for k in scorecards.COLUMNS}
    return p.render("qa/scorecard_edit.html", http_status=status, draft=draft, base=base(p),
                    rows=rows + [dict(blank) for _ in range(BLANK_ROWS)], title=title,
                    forbidden=forbidden, error=error, bad_row=bad_row, types=TYPES, fatal=FATAL,
                    type_words=scorecards.TYPE_WORDS, fatal_words=scorecards.FATAL_WORDS)


def edit(p) -> Response:
    draft = scorecards.in_state(p.fw, p.project["slug"], "draft")
    rows = _rows_of(draft)
    if rows:  # the form posts codes; the card's rows carry the spreadsheet's words
        rows = [dict(r, type=_code(r["type"], scorecards.TYPE_WORDS),
                     fatal=_code(r["fatal"], scorecards.FATAL_WORDS)) for r in rows]
    return _editor(p, rows, (draft or {}).get("title", ""), "\n".join((draft or {}).get("forbidden", ())))


def _code(word: str, words: dict) -> str:
    return next(code for code, names in words.items() if word in names)


def save(p) -> Response:
    count = int(p.form.get("rows") or 0) if str(p.form.get("rows") or "0").isdigit() else 0
    rows = [(n + 1, {k: str(p.form.get(f"r-{n}-{k}") or "") for k in scorecards.COLUMNS})
            for n in range(min(count, 500))]
    title = str(p.form.get("title") or "")
    forbidden = str(p.form.get("forbidden") or "")
    try:
        card = scorecards.card_from_rows(rows, forbidden.splitlines(), LABELS)
        scorecards.save_draft(p.fw, p.project["slug"], card, p.user["username"],
                              validate.text(title, N_("title"), scorecards.TITLE_LIMIT))
    except FloorwalkerError as err:
        filled = [n for n, cells in rows if any(v.strip() for v in cells.values())]
        typed = [cells for _, cells in rows[:max(filled, default=0)]]  # numbered as they were
        return _editor(p, typed, title, forbidden, err.message(p.locale),
                       getattr(err, "row", None), err.http_status)
    draft = scorecards.in_state(p.fw, p.project["slug"], "draft")
    return p.redirect(f"{base(p)}/scorecards/{draft['id']}")


@contextmanager
def uploaded(p):
    """The form's .xlsx (or .csv) upload as a file on disk, for the reader."""
    upload = p.form.get("file")
    filename = Path(getattr(upload, "filename", "") or "").name
    if Path(filename).suffix.lower() not in (".xlsx", ".csv"):
        raise ValidationError(N_("file"), N_("use a .csv or .xlsx file, got {name}"), name=filename or "-")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / filename
        path.write_bytes(upload.file.read())
        yield path


def upload(p) -> Response:
    try:
        with uploaded(p) as path:
            card = workbook.read(path, p.fw.install_settings().get("import_row_limit"))
        scorecards.save_draft(p.fw, p.project["slug"], card, p.user["username"])
    except FloorwalkerError as err:
        return index(p, err.message(p.locale), err.http_status)
    draft = scorecards.in_state(p.fw, p.project["slug"], "draft")
    return p.redirect(f"{base(p)}/scorecards/{draft['id']}")
