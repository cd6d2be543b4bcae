"""Interactions (会话) to evaluate: calls, chats and back-office tickets, imported from the
telephony or chat platform's export (csv or xlsx), all or nothing.

A row names the interaction's id, the agent's employee number, its time, its channel (call /
chat / ticket, or 电话 / 在线 / 工单 …), its duration (seconds, or ``MM:SS`` / ``HH:MM:SS``) and
either its transcript (a chat's lines ``[HH:MM:SS] 客服: …``, see `transcripts`) or a
recording reference, and may name its category (退款, 投诉 …: `sampling` picks the must-check
ones). Every row is checked first — the agent in the project on that day, the
month open — and the first wrong one stops the import naming its row and column; an id already
imported is skipped (a platform's export of overlapping days), so the same file imported twice
adds nothing. They are kept one file per month of their time
(``projects/<slug>/qa_interactions/<YYYY-MM>``), each under its own id.
"""

from __future__ import annotations

import re

from floorwalker.core import (N_, NUMBER_NAMES, Checks, Fields, Importer, NotFound, ValidationError,
                              match_columns, now_iso, read_table, validate, values)

from . import autoqa_store
from .actions import IMPORT
from .config import NAME

TABLE = "interactions"
CHANNELS = {"call": N_("Call"), "chat": N_("Chat"), "ticket": N_("Ticket")}
CHANNEL_WORDS = {"call": ("call", "voice", "phone", "电话", "通话", "语音", "热线", "呼入", "呼出"),
                 "chat": ("chat", "online", "在线", "文字", "聊天", "会话", "im", "在线客服"),
                 "ticket": ("ticket", "工单", "邮件", "email", "后台", "back office")}
COLUMNS = {"id": ("id", "会话ID", "会话编号", "通话ID", "工单号", "编号", "interaction", "interaction id"),
           "agent": ("agent", *NUMBER_NAMES, "客服工号", "坐席工号", "number"),
           "time": ("time", "时间", "开始时间", "会话时间", "通话时间", "start time"),
           "channel": ("channel", "渠道", "channel type"),
           "duration": ("duration", "时长", "通话时长", "会话时长", "时长(秒)", "duration (s)"),
           "transcript": ("transcript", "会话内容", "聊天记录", "对话内容", "内容", "text"),
           "recording": ("recording", "录音", "录音文件", "录音地址", "recording reference"),
           # what it was about (退款, 投诉 …): sampling's must-check categories read it
           "category": ("category", "类别", "分类", "业务类型", "业务分类", "会话类型", "工单类型")}
FIELDS = Fields(COLUMNS, ("id", "agent", "time", "channel"))
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
TRANSCRIPT_LIMIT = 50_000


def _slug(project) -> str:
    return project["slug"] if isinstance(project, dict) else project


def _key(fw, slug: str, month: str) -> str:
    return fw.store.period_key(slug, "qa_interactions", month)


def months(fw, slug: str) -> list[str]:
    """The months with interactions, newest first."""
    folder = fw.store.period_key(slug, "qa_interactions", "0000-00")[:-len("/0000-00")]
    return sorted((k.rsplit("/", 1)[1] for k in fw.store.keys(folder) if k != folder), reverse=True)


def of_month(fw, slug: str, month: str) -> list[dict]:
    """The interactions of *month*, by time."""
    return sorted(fw.store.table(_key(fw, slug, month), TABLE).values(), key=lambda d: (d["time"], d["id"]))


def get(fw, slug: str, interaction_id: str) -> dict:
    for month in months(fw, slug):
        doc = fw.store.table(_key(fw, slug, month), TABLE).get(interaction_id)
        if doc is not None:
            return doc
    raise NotFound(N_("no interaction {id!r}"), id=interaction_id)


def _duration(text: str, column: str, row: int) -> int | None:
    text = values.plain(text)
    if not text:
        return None
    parts = text.split(":")
    try:
        if len(parts) == 1:
            seconds = float(text.removesuffix("秒").removesuffix("s"))
        elif len(parts) in (2, 3) and all(p.isdigit() for p in parts):
            seconds = 0
            for part in parts:
                seconds = seconds * 60 + int(part)
        else:
            raise ValueError
    except ValueError:
        raise ValidationError(column, N_("expected seconds or MM:SS, got {value!r}"), row=row,
                              value=text) from None
    if not 0 <= seconds < 7 * 24 * 3600:
        raise ValidationError(column, N_("expected seconds or MM:SS, got {value!r}"), row=row, value=text)
    return int(round(seconds))


def _channel(text: str, column: str, row: int) -> str:
    key = values.plain(text).lower()
    for code, words in CHANNEL_WORDS.items():
        if key in words:
            return code
    raise ValidationError(column, N_("expected call, chat or ticket, got {value!r}"), row=row, value=text)


class _Checker:
    """The checks of one file, with the agents' assignments and the closed months read once."""

    def __init__(self, fw, slug: str, col: dict):
        self.fw, self.slug, self.col = fw, slug, col
        fw.projects.get(slug)
        self.closed = fw.store.closed_months(slug)
        self.assignments: dict[str, list] = {}
        self.seen: dict[str, int] = {}

    def doc(self, row: int, cells: dict) -> dict:
        col = self.col
        ident = values.plain(cells.get(col["id"], ""))
        if not _ID.match(ident):
            raise ValidationError(col["id"], N_("expected letters, digits, '.', '_' or '-' (at most 64), "
                                                "got {value!r}"), row=row, value=ident)
        if ident in self.seen:
            raise ValidationError(col["id"], N_("{id} is already in row {first}"), row=row, id=ident,
                                  first=self.seen[ident])
        self.seen[ident] = row
        when = values.parse_datetime(cells.get(col["time"], ""))
        if when is None:
            raise ValidationError(col["time"], N_("expected a date and time as YYYY-MM-DD HH:MM:SS, "
                                                  "got {value!r}"), row=row, value=cells.get(col["time"], ""))
        day = when.date().isoformat()
        if day[:7] in self.closed:
            raise ValidationError(col["time"], N_("{month} of project {project} is closed: nothing in it "
                                                  "can change"), row=row, month=day[:7], project=self.slug)
        number = values.employee_number(cells.get(col["agent"], ""))
        if not number:
            raise ValidationError(col["agent"], N_("is required"), row=row)
        if number not in self.assignments:
            self.assignments[number] = self.fw.agents.assignments(number)
        if not any(a["project"] == self.slug and a["start"] <= day and (a["end"] is None or day <= a["end"])
                   for a in self.assignments[number]):
            raise ValidationError(col["agent"], N_("agent {number} is not in project {project} on {date}"),
                                  row=row, number=number, project=self.slug, date=day)
        channel = _channel(cells.get(col["channel"], ""), col["channel"], row)
        duration = _duration(cells.get(col["duration"], ""), col["duration"], row) if "duration" in col else None
        transcript = cells.get(col["transcript"], "") if "transcript" in col else ""
        recording = cells.get(col["recording"], "").strip() if "recording" in col else ""
        if not transcript.strip() and not recording:
            raise ValidationError(col.get("transcript", N_("transcript")),
                                  N_("give the transcript or a recording reference"), row=row)
        if len(transcript) > TRANSCRIPT_LIMIT:
            raise ValidationError(col["transcript"], N_("at most {limit} characters"), row=row,
                                  limit=TRANSCRIPT_LIMIT)
        return {"id": ident, "agent": number, "time": when.isoformat(sep=" ", timespec="seconds"),
                "date": day, "channel": channel, "duration": duration,
                "transcript": transcript.replace("\r\n", "\n").strip(),
                "recording": validate.text(recording, col.get("recording", "recording"), 500),
                "category": validate.text(cells.get(col["category"], "") if "category" in col else "",
                                          col.get("category", "category"), 100)}


def _checked(fw, slug: str, header, rows, checks: Checks) -> list[dict]:
    checker = _Checker(fw, slug, match_columns(header, COLUMNS, FIELDS.required))
    return checks.run(rows, checker.doc)


def _stored_ids(fw, slug: str) -> set[str]:
    return {i for month in months(fw, slug) for i in fw.store.table(_key(fw, slug, month), TABLE)}


def preview(fw, project, table):
    """What importing *table* would do, every refused row listed; nothing written."""
    checks = Checks(True)
    docs = _checked(fw, _slug(project), table.header, table.rows, checks)
    stored = _stored_ids(fw, _slug(project))
    already = sum(1 for d in docs if d["id"] in stored)
    return checks.preview_of(table, added=len(docs) - already, already=already)


def store(fw, project, rows, actor: str) -> dict:
    """`Importer.run`: check every row of *rows* (as `read_table` gives them, under their
    ``header``), then add the new interactions, one commit per month file."""
    slug = _slug(project)
    header = getattr(rows, "header", None) or (list(rows[0][1]) if rows else [])
    docs = _checked(fw, slug, header, rows, Checks(False))
    stored = _stored_ids(fw, slug)
    new = [dict(d, imported_by=actor, imported_at=now_iso()) for d in docs if d["id"] not in stored]
    by_month: dict[str, list[dict]] = {}
    for doc in new:
        by_month.setdefault(doc["date"][:7], []).append(doc)
    for month, docs_of_month in sorted(by_month.items()):
        with fw.store.transaction(_key(fw, slug, month), actor, "qa.interactions.import") as tx:
            tx.insert_many(TABLE, docs_of_month)
    autoqa_store.run(fw, project, new, actor)  # every new chat is checked by the rules at once
    return {"rows": len(rows), "added": len(new), "already": len(docs) - len(new)}


def import_file(fw, project, path, actor: str, *, mapping=None, sheet=None, dry_run=False):
    """Import the file at *path* (the CLI's `run_import` calls this)."""
    table = read_table(path, FIELDS, limit=fw.install_settings().get("import_row_limit"),
                       mapping=mapping, sheet=sheet)
    if dry_run:
        return preview(fw, project, table)
    return store(fw, project, table.rows, actor)


IMPORTERS = [
    Importer(NAME, "interactions", "QA interactions", "质检会话",
             ("会话ID/id", "工号/agent", "时间/time", "渠道/channel", "时长/duration",
              "会话内容/transcript", "录音/recording", "类别/category"),
             store, fields=FIELDS, preview=preview, action=IMPORT,
             counts={"rows": ("rows", "行"), "added": ("added", "新增"),
                     "already": ("already there", "已存在")}),
]
