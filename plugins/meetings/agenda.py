"""A meeting's agenda (议程, issue 15 item 5): drafted from the floor's live data, edited by the
chair, frozen with the minutes.

Each enabled plugin offers its own material through the platform's `agenda_items` hook for the
kinds of meeting it knows (attendance yesterday's figures and today's leave for the morning
briefing, complaints those near their deadline, QA its casebook …); meetings imports none of
them. *Drafting* renders every offered item's template there and then, in both languages, with
autoescape, and stores the result in the meeting (title, the rendered HTML, the plugin, when and
by whom): a snapshot. The page shows the snapshot, never the data as it is now, so the minutes
keep what was shown. The stored HTML is marked safe only because it was rendered here; the
chair's own points and notes are plain text, escaped like any other.

The chair then edits the draft: removes an item, moves one up or down, adds a point of their
own, writes a note under any item. Drafting again replaces the drafted items and keeps the
chair's points. Once the minutes are signed nothing changes: drafting or editing is refused.

The monthly meeting also keeps next month's goals (``goals``), a text the chair writes on the
meeting; meetings offers it to that meeting's agenda, and saving it renews the drafted copy.

An agenda entry is a dict: ``id`` (``E1`` …), ``source`` (``drafted`` or ``point``), and for a
drafted one ``plugin``, ``from_en``/``from_zh`` (the plugin's title), ``title_en``/``title_zh``,
``html`` ({locale: rendered HTML}), ``drafted_at``, ``drafted_by``; for a point ``text``; both
may carry a ``note``. An older agenda of plain lines reads as points.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from floorwalker.core import N_, AgendaItem, Conflict, NotFound, ValidationError, now_iso, validate

from . import answers, items, questions, records
from .config import NAME

LOCALES = ("en", "zh_CN")  # an agenda is drafted once and read in either language
POINT_LIMIT = 200
NOTE_LIMIT = 2000
GOALS_LIMIT = 4000
GOALS_TEMPLATE = "meetings/agenda_goals.html"


def entries(doc: dict) -> list[dict]:
    """The meeting's agenda as entries (plain lines of an older agenda read as points)."""
    found = []
    for n, entry in enumerate(doc.get("agenda") or (), 1):
        found.append(entry if isinstance(entry, dict) else {"id": f"E{n}", "source": "point", "text": str(entry)})
    return found


def _next_id(found: list[dict]) -> str:
    numbers = [int(e["id"][1:]) for e in found if str(e.get("id", ""))[1:].isdigit()]
    return f"E{max(numbers, default=0) + 1}"


def _open(doc: dict) -> None:
    if (doc.get("minutes") or {}).get("signed_by"):
        raise Conflict(N_("the minutes of {id} are signed: the agenda keeps what was shown"), id=doc["id"])


def offered(fw, project: dict, meeting: dict, user: dict | None) -> list[AgendaItem]:
    """What the project's enabled plugins offer this meeting, each stamped with its plugin, in
    the items' order."""
    caller = fw.project_hook(project, "agenda_items")
    given = {"floorwalker": fw, "project": project, "meeting": meeting,
             "day": dt.date.fromisoformat(meeting["date"]), "user": user}
    found = []
    for impl in caller.get_hookimpls():
        result = impl.function(*(given[arg] for arg in impl.argnames))
        for item in result or ():
            if not isinstance(item, AgendaItem):
                raise TypeError(f"{impl.plugin_name} offered {item!r} to an agenda, not an AgendaItem")
            found.append((item, impl.plugin_name))
    return [_stamped(item, plugin) for item, plugin in sorted(found, key=lambda pair: pair[0].order)]


def _stamped(item: AgendaItem, plugin: str) -> AgendaItem:
    return item if item.plugin == plugin else replace(item, plugin=plugin)


def _titles(fw, plugin: str) -> tuple[str, str]:
    """What people call *plugin* (its module's ``TITLE``), as the admin pages do."""
    title = getattr(fw.pm.get_plugin(plugin), "TITLE", None) or (plugin, plugin)
    return title[0], title[1] if len(title) > 1 else title[0]


def _rendered(fw, project: dict, template: str, context: dict) -> dict[str, str]:
    """*template* rendered (autoescaped) in every language an agenda is read in."""
    return {locale: str(fw.render(template, locale, {"project": project, **context})) for locale in LOCALES}


def snapshot(fw, project: dict, item: AgendaItem, actor: str) -> dict:
    """One offered item rendered in every language, as the meeting keeps it."""
    source_en, source_zh = _titles(fw, item.plugin)
    return {"id": "", "source": "drafted", "plugin": item.plugin, "from_en": source_en, "from_zh": source_zh,
            "title_en": item.title_en, "title_zh": item.title_zh, "template": item.template,
            "html": _rendered(fw, project, item.template, dict(item.context)),
            "drafted_at": now_iso(), "drafted_by": actor, "note": ""}


def draft(fw, project: dict, meeting_id: str, user: dict) -> dict:
    """Draft the agenda from the floor's data: the drafted items of an earlier draft are replaced,
    the chair's own points kept after them. Refused once the minutes are signed."""
    doc = records.get(fw, project, meeting_id)
    _open(doc)  # before anything is asked of the plugins
    actor = user["username"]
    fresh = [snapshot(fw, project, item, actor) for item in offered(fw, project, doc, user)]

    def change(current):
        _open(current)
        points = [e for e in entries(current) if e["source"] != "drafted"]
        agenda = []
        for entry in fresh + points:  # numbered anew: an id names one entry of this agenda
            agenda.append({**entry, "id": _next_id(agenda)})
        return {"agenda": agenda, "agenda_drafted": {"at": now_iso(), "by": actor, "items": len(fresh)}}
    return records.update(fw, project, doc["id"], actor, f"{NAME}.agenda.draft", change)


def _edit(fw, project, meeting_id: str, actor: str, apply) -> dict:
    def change(doc):
        _open(doc)
        return {"agenda": apply(entries(doc))}
    return records.update(fw, project, meeting_id, actor, f"{NAME}.agenda", change)


def _index(found: list[dict], entry_id: str) -> int:
    for n, entry in enumerate(found):
        if entry["id"] == str(entry_id or "").strip().upper():
            return n
    raise NotFound(N_("no agenda item {id!r}"), id=entry_id)


def add_point(fw, project, meeting_id: str, text, note, actor: str) -> dict:
    """The chair's own point, at the end of the agenda."""
    text = validate.text(text, N_("Point"), POINT_LIMIT, required=True)
    note = validate.text(note, N_("Note"), NOTE_LIMIT)
    return _edit(fw, project, meeting_id, actor,
                 lambda found: [*found, {"id": _next_id(found), "source": "point", "text": text, "note": note,
                                         "added_by": actor, "added_at": now_iso()}])


def remove(fw, project, meeting_id: str, entry_id: str, actor: str) -> dict:
    def apply(found):
        del found[_index(found, entry_id)]
        return found
    return _edit(fw, project, meeting_id, actor, apply)


def move(fw, project, meeting_id: str, entry_id: str, step: int, actor: str) -> dict:
    """Move an entry *step* places (−1 up, +1 down); at either end it stays."""
    def apply(found):
        n = _index(found, entry_id)
        to = max(0, min(len(found) - 1, n + step))
        found.insert(to, found.pop(n))
        return found
    return _edit(fw, project, meeting_id, actor, apply)


def set_note(fw, project, meeting_id: str, entry_id: str, note, actor: str) -> dict:
    note = validate.text(note, N_("Note"), NOTE_LIMIT)

    def apply(found):
        n = _index(found, entry_id)
        found[n] = {**found[n], "note": note}
        return found
    return _edit(fw, project, meeting_id, actor, apply)


def save_goals(fw, project: dict, meeting_id: str, text, actor: str) -> dict:
    """Next month's goals of a monthly meeting; a drafted goals item shows the new text."""
    text = validate.text(text, N_("Next month's goals"), GOALS_LIMIT)

    def change(doc):
        _open(doc)
        if doc["kind"] != "monthly":
            raise ValidationError(N_("Next month's goals"), N_("only the monthly meeting sets next month's goals"))
        found = entries(doc)
        for n, entry in enumerate(found):
            if entry.get("plugin") == NAME and entry.get("template") == GOALS_TEMPLATE:
                found[n] = {**entry, "html": _rendered(fw, project, GOALS_TEMPLATE, {"goals": text})}
        return {"goals": text, "agenda": found}
    return records.update(fw, project, meeting_id, actor, f"{NAME}.goals", change)


def view(doc: dict, locale: str) -> list[dict]:
    """The entries as the page shows them in *locale*: a title, the stored HTML (rendered when
    drafted, so safe to show as it is) and where it came from."""
    zh = locale.startswith("zh")
    shown = []
    for entry in entries(doc):
        if entry["source"] == "drafted":
            html = entry.get("html") or {}
            shown.append({**entry, "title": entry["title_zh"] if zh else entry["title_en"],
                          "from": entry.get("from_zh") if zh else entry.get("from_en"),
                          "body": html.get("zh_CN" if zh else "en") or next(iter(html.values()), "")})
        else:
            shown.append({**entry, "title": entry["text"], "from": "", "body": ""})
    return shown


# ------------------------------------------------------------------ what meetings itself offers

SHOWN_NAMES = 12  # an item lists this many names, then "and n more"


def _names(fw, project: dict) -> dict[str, str]:
    return {a["number"]: a["name"] for a, _ in fw.agents.in_project(project["slug"], "1900-01-01", "2999-12-31")}


def _question_rows(fw, project: dict, found: list[dict]) -> list[dict]:
    names = _names(fw, project)
    rows = []
    for q in found:
        who = q.get("agent") or q.get("raised_by") or ""
        answer = q.get("answer") or {}
        rows.append({"text": q.get("text") or "", "context": q.get("context") or "", "who": names.get(who, ""),
                     "user": "" if who in names else who, "at": q.get("raised_at") or "",
                     "answer": answer.get("text") if isinstance(answer, dict) else str(answer)})
    return rows


def _answer_rows(fw, project: dict) -> list[dict]:
    """The unified answers some expected agent has not signed yet, with who."""
    names = _names(fw, project)
    rows = []
    for doc in answers.all_of(fw, project):
        waiting = answers.unsigned(doc)
        if waiting:
            shown = [names.get(n, n) for n in waiting]
            rows.append({"text": doc["text"], "published": doc["published_at"], "deadline": doc["deadline"],
                         "signed": len(doc["expected"]) - len(waiting), "expected": len(doc["expected"]),
                         "unsigned": shown[:SHOWN_NAMES], "more": max(0, len(shown) - SHOWN_NAMES)})
    return rows


def _item_rows(fw, project: dict, day: dt.date) -> list[dict]:
    """The open action items (of every kind), the oldest due first."""
    names = _names(fw, project)
    return [{"text": i["text"], "owner": names.get(i["owner"], ""), "user": "" if i["owner"] in names else i["owner"],
             "due": i["due"], "late": i["due"] < day.isoformat(), "carried": sum(1 for h in i["history"]
                                                                                  if h["what"] == "carried")}
            for i in items.all_of(fw, project) if i["status"] == "open"]


def own_items(fw, project: dict, meeting: dict, day: dt.date) -> list[AgendaItem]:
    """Meetings' own material: for the morning briefing the questions raised since the last one
    and the unified answers not yet signed by all; for the weekly meeting the open action items;
    for the monthly meeting next month's goals."""
    kind = meeting.get("kind")
    found = []
    if kind == "briefing":
        asked = _question_rows(fw, project, questions.since_last_briefing(fw, project, day))
        if asked:
            found.append(AgendaItem("Questions from the floor since the last briefing", "上次晨会以来坐席提出的问题",
                                    "meetings/agenda_questions.html", {"rows": asked}, order=60))
        unsigned = _answer_rows(fw, project)
        if unsigned:
            found.append(AgendaItem("Unified answers not yet signed by all", "尚未全部签收的统一答复口径",
                                    "meetings/agenda_answers.html", {"rows": unsigned}, order=70))
    elif kind == "weekly":
        rows = _item_rows(fw, project, day)
        if rows:
            found.append(AgendaItem("Open action items", "未完成的待办事项", "meetings/agenda_items.html",
                                    {"rows": rows}, order=70))
    elif kind == "monthly":
        found.append(AgendaItem("Next month's goals", "下月目标", GOALS_TEMPLATE,
                                {"goals": meeting.get("goals") or ""}, order=90))
    return found
