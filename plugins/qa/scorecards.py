"""The project's QA standard (质检标准): a scorecard in versions, draft → published → archived.

A version holds ``sections`` (each a ``title``, a ``weight`` — None for the bonus section — and
``items``: ``title``, ``type`` yesno/scale/points, ``max``, ``fatal`` none/section/all, ``note``)
and the ``forbidden`` phrases (禁忌用语). One project has one standard: at most one draft (the
only version that changes) and at most one published version (the one evaluations use from its
publication on); publishing a draft archives the version it replaces. Published and archived
versions are read-only, and an evaluation names the version it was scored against, so a new
version changes only the evaluations made after it.

A scorecard comes in as rows, whichever way it is typed — the xlsx the client hands over
(`workbook`) or the editor's form — in the spreadsheet's own columns: 部分, 权重, 项目, 类型,
满分, 致命, 说明. `card_from_rows` checks them all and names the first wrong row and column.
Versions live in the plugin's project file (``projects/<slug>/qa``, table ``scorecards``).
"""

from __future__ import annotations

from floorwalker.core import N_, Conflict, NotFound, ValidationError, now_iso, validate

from .config import NAME
from .scoring import FATAL, ITEM_TYPES

TABLE = "scorecards"
STATES = {"draft": N_("draft"), "published": N_("published"), "archived": N_("archived")}
COLUMNS = ("section", "weight", "item", "type", "max", "fatal", "note")
# How the spreadsheet writes types and fatal rules (exports use the first), and what else it may say.
TYPE_WORDS = {"yesno": ("是否", "yes/no", "yesno", "是/否"), "scale": ("评分", "scale"),
              "points": ("分值", "points")}
FATAL_WORDS = {"none": ("无", "none", "否", ""), "section": ("部分", "section"),
               "all": ("整体", "all", "whole")}
TITLE_LIMIT = 200
NOTE_LIMIT = 1000
PHRASE_LIMIT = 100


def _word(text: str, words: dict) -> str | None:
    key = text.strip().lower()
    return next((code for code, names in words.items() if key in {n.lower() for n in names}), None)


def _number(text, column: str, row: int) -> float | None:
    text = str(text).strip()
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValidationError(column, N_("expected a number, got {value!r}"), row=row, value=text) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError(column, N_("expected a number, got {value!r}"), row=row, value=text)
    return int(value) if value.is_integer() else value


def card_from_rows(rows, forbidden, labels: dict[str, str]) -> dict:
    """The scorecard of *rows* — (row number, {column key: text}) — and the *forbidden* phrases,
    checked: every item row names its section, item, type and full marks; every row of a weighted
    section carries the same 权重 and the weights add up to 100; the bonus section (its rows
    without 权重) is one, and has no fatal item. *labels* names each column for the errors (the
    file's headings, or the form's labels). Raises `ValidationError` at the first wrong row."""
    sections: dict[str, dict] = {}
    first_row: dict[str, int] = {}
    seen_items: dict[tuple[str, str], int] = {}
    for row, cells in rows:
        cell = {k: str(cells.get(k) or "").strip() for k in COLUMNS}
        if not any(cell.values()):
            continue
        section = validate.text(_unquoted(cell["section"]), labels["section"], TITLE_LIMIT)
        title = validate.text(_unquoted(cell["item"]), labels["item"], TITLE_LIMIT)
        if not section:
            raise ValidationError(labels["section"], N_("is required"), row=row)
        if not title:
            raise ValidationError(labels["item"], N_("is required"), row=row)
        kind = _word(cell["type"], TYPE_WORDS)
        if kind is None:
            raise ValidationError(labels["type"], N_("expected 是否, 评分 or 分值, got {value!r}"),
                                  row=row, value=cell["type"])
        fatal = _word(cell["fatal"], FATAL_WORDS)
        if fatal is None:
            raise ValidationError(labels["fatal"], N_("expected 无, 部分 or 整体, got {value!r}"),
                                  row=row, value=cell["fatal"])
        maximum = _number(cell["max"], labels["max"], row)
        if maximum is None:
            raise ValidationError(labels["max"], N_("is required"), row=row)
        _check_max(kind, fatal, maximum, labels["max"], row)
        weight = _number(cell["weight"], labels["weight"], row)
        if weight is not None and not 0 < weight <= 100:
            raise ValidationError(labels["weight"], N_("expected a number above 0 and at most 100, "
                                                       "got {value!r}"), row=row, value=cell["weight"])
        if (section, title) in seen_items:
            raise ValidationError(labels["item"], N_("{item!r} is already in section {section!r} "
                                                     "(row {first})"), row=row, item=title,
                                  section=section, first=seen_items[section, title])
        seen_items[section, title] = row
        if section not in sections:
            sections[section] = {"title": section, "weight": weight, "items": []}
            first_row[section] = row
        elif sections[section]["weight"] != weight:
            raise ValidationError(labels["weight"], N_("every row of section {section!r} needs the "
                                                       "same weight as its row {first}"),
                                  row=row, section=section, first=first_row[section])
        if weight is None and fatal != "none":
            raise ValidationError(labels["fatal"], N_("the bonus section has no fatal items"), row=row)
        sections[section]["items"].append({"title": title, "type": kind, "max": maximum,
                                           "fatal": fatal,
                                           "note": validate.text(_unquoted(cell["note"]),
                                                                 labels["note"], NOTE_LIMIT)})
    card = {"sections": list(sections.values()), "forbidden": phrases(forbidden, labels)}
    check_card(card, labels)
    return card


def _unquoted(text: str) -> str:
    """A cell as typed: an export defuses text that a spreadsheet would run (``'=…``)."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


def _check_max(kind: str, fatal: str, maximum, column: str, row: int) -> None:
    if maximum < 0 or (maximum == 0 and (kind != "yesno" or fatal == "none")):
        raise ValidationError(column, N_("must be more than 0 (0 only for a fatal yes/no item)"), row=row)
    if maximum > 1000:
        raise ValidationError(column, N_("must be at most {max}"), row=row, max=1000)
    if kind == "points" and not float(maximum).is_integer():
        raise ValidationError(column, N_("a points item has whole full marks"), row=row)
    if kind == "scale" and not float(maximum * 2).is_integer():
        raise ValidationError(column, N_("a scale item's full marks are whole or half points"), row=row)


def phrases(forbidden, labels: dict[str, str]) -> list[str]:
    """The forbidden phrases, each once, in their order."""
    found: list[str] = []
    for text in forbidden:
        phrase = validate.text(_unquoted(str(text or "").strip()), labels.get("forbidden", N_("forbidden phrases")),
                               PHRASE_LIMIT)
        if phrase and phrase not in found:
            found.append(phrase)
    return found


def check_card(card: dict, labels: dict[str, str]) -> None:
    """The whole card: some weighted section, one bonus section at most, weights adding to 100."""
    weighted = [s for s in card["sections"] if s["weight"] is not None]
    if not weighted:
        raise ValidationError(labels["weight"], N_("a scorecard needs at least one section with a weight"))
    if len(card["sections"]) - len(weighted) > 1:
        raise ValidationError(labels["weight"], N_("only one section may go without a weight (the bonus "
                                                   "section)"))
    total = sum(s["weight"] for s in weighted)
    if abs(total - 100) > 1e-9:
        raise ValidationError(labels["weight"], N_("the sections' weights add up to {total}, not 100"),
                              total=round(total, 4))


def card_rows(card: dict) -> list[dict]:
    """The rows of *card* in the spreadsheet's columns (the way back of `card_from_rows`)."""
    return [{"section": s["title"], "weight": s["weight"], "item": i["title"],
             "type": TYPE_WORDS[i["type"]][0], "max": i["max"], "fatal": FATAL_WORDS[i["fatal"]][0],
             "note": i["note"]} for s in card["sections"] for i in s["items"]]


# ---------------------------------------------------------------- versions


def _key(fw, slug: str) -> str:
    return fw.store.plugin_key(slug, NAME)


def versions(fw, slug: str) -> list[dict]:
    """Every version of the project's standard, newest first."""
    return sorted(fw.store.table(_key(fw, slug), TABLE).values(), key=lambda d: -d["version"])


def get(fw, slug: str, version) -> dict:
    doc = fw.store.table(_key(fw, slug), TABLE).get(str(version))
    if doc is None:
        raise NotFound(N_("no version {version} of the QA standard"), version=version)
    return doc


def in_state(fw, slug: str, state: str) -> dict | None:
    return next((d for d in versions(fw, slug) if d["status"] == state), None)


def save_draft(fw, slug: str, card: dict, actor: str, title: str | None = None) -> dict:
    """Store *card* (checked by `card_from_rows`) as the draft: the draft changes, or a new
    version is started after the newest."""
    now = now_iso()
    with fw.store.transaction(_key(fw, slug), actor, "qa.standard.save") as tx:
        docs = tx.docs(TABLE).values()
        draft = next((d for d in docs if d["status"] == "draft"), None)
        shown = next((d for d in docs if d["status"] == "published"), None)
        name = validate.text(title or "", N_("title"), TITLE_LIMIT) or \
            (draft or shown or {}).get("title") or "质检标准"
        fields = {"title": name, "sections": card["sections"], "forbidden": card["forbidden"],
                  "changed_by": actor, "changed_at": now, "dated": None}
        if draft is not None:
            return tx.update(TABLE, draft["id"], fields)
        version = max((d["version"] for d in docs), default=0) + 1
        return tx.insert(TABLE, {"id": str(version), "version": version, "status": "draft",
                                 "created_by": actor, "created_at": now, **fields})


def start_draft(fw, slug: str, actor: str) -> dict:
    """A new draft, a copy of the published version (the draft, if there is one already)."""
    draft = in_state(fw, slug, "draft")
    if draft is not None:
        return draft
    shown = in_state(fw, slug, "published")
    if shown is None:
        raise NotFound(N_("nothing to copy: no version is published; import or type a standard"))
    return save_draft(fw, slug, {"sections": shown["sections"], "forbidden": shown["forbidden"]},
                      actor, shown["title"])


def publish(fw, slug: str, version, actor: str) -> dict:
    """Publish draft *version*; the version published until now is archived."""
    doc = get(fw, slug, version)
    if doc["status"] != "draft":
        raise Conflict(N_("version {version} is {state}: only a draft can be published"),
                       version=doc["version"], state=STATES[doc["status"]])
    now = now_iso()
    with fw.store.transaction(_key(fw, slug), actor, "qa.standard.publish") as tx:
        for old in list(tx.docs(TABLE).values()):
            if old["status"] == "published":
                tx.update(TABLE, old["id"], {"status": "archived", "archived_at": now,
                                             "archived_by": actor})
        return tx.update(TABLE, doc["id"], {"status": "published", "published_at": now,
                                            "published_by": actor})


def require_editable(doc: dict) -> None:
    if doc["status"] != "draft":
        raise Conflict(N_("version {version} is {state} and cannot change; start a new draft"),
                       version=doc["version"], state=STATES[doc["status"]])
