"""Complaints imported from a csv/xlsx list (the client's handling point 起点 sends them), all or
nothing, through the core's reader (title rows above the header, Chinese column names, GBK …).

A row needs its received time and its subject (or its content, whose first words become the
subject); the channel defaults to the handling point (the
lists come from there), the severity to general. Channel and severity are read in either
language (电话, 在线, 邮件, 起点, 监管 …; 一般, 严重). Every row is checked as the intake form checks
it, the first wrong one stops the import naming its row and column, and only then are the new
complaints written in one commit; a row whose handling-point number (工单号) is already there
is skipped, so the same list imported twice adds nothing. The importer owns what it imports
(首问负责制) until it hands each over.
"""

from __future__ import annotations

from floorwalker.core import (N_, NUMBER_NAMES, Checks, Fields, Importer, ValidationError,
                              match_columns, read_table, values)

from . import records
from .actions import IMPORT
from .config import NAME

COLUMNS = {"external_id": ("external_id", "工单号", "投诉编号", "投诉单号", "编号", "ticket", "number"),
           "received": ("received", "受理时间", "投诉时间", "来电时间", "时间", "received at", "time"),
           "channel": ("channel", "渠道", "来源", "投诉渠道", "source"),
           "complainant": ("complainant", "投诉人", "客户姓名", "客户", "姓名", "customer"),
           "contact": ("contact", "联系电话", "联系方式", "电话", "手机", "phone"),
           "subject": ("subject", "投诉主题", "主题", "标题", "投诉事由", "title"),
           "details": ("details", "投诉内容", "内容", "详情", "问题描述", "description"),
           "wants": ("wants", "客户诉求", "诉求", "期望", "customer wants"),
           "agent": ("agent", *NUMBER_NAMES, "被投诉工号", "坐席工号"),
           "category": ("category", "投诉分类", "分类", "类别"),
           "severity": ("severity", "严重程度", "级别", "等级"),
           "interaction": ("interaction", "会话ID", "通话ID", "录音编号", "interaction id")}
FIELDS = Fields(COLUMNS, ("received",))
CHANNEL_WORDS = {"phone": ("phone", "电话", "热线", "来电", "语音", "call"),
                 "chat": ("chat", "在线", "在线客服", "聊天", "im", "online"),
                 "email": ("email", "邮件", "电子邮件", "e-mail", "mail"),
                 "handling_point": ("handling_point", "handling point", "起点", "甲方", "客户方", "工单", "转办"),
                 "regulator": ("regulator", "监管", "监管部门", "12315", "工信部", "银保监", "消协")}
SEVERITY_WORDS = {"general": ("general", "一般", "普通"), "serious": ("serious", "严重", "重大")}


def _word(text: str, words: dict, column: str, row: int, default: str) -> str:
    key = values.plain(text).lower()
    if not key:
        return default
    for code, names in words.items():
        if key in names:
            return code
    raise ValidationError(column, N_("not one of the choices offered: {value!r}"), row=row, value=text)


class _Checker:
    def __init__(self, fw, project: dict, col: dict):
        self.fw, self.project, self.col = fw, project, col
        self.now = fw.projects.now(project)
        self.seen: dict[str, int] = {}

    def doc(self, row: int, cells: dict) -> dict:
        col = self.col
        fields = {k: cells.get(col[k], "") for k in COLUMNS if k in col}
        fields["channel"] = _word(fields.get("channel", ""), CHANNEL_WORDS, col.get("channel", "channel"),
                                  row, "handling_point")
        fields["severity"] = _word(fields.get("severity", ""), SEVERITY_WORDS, col.get("severity", "severity"),
                                   row, "general")
        if not values.plain(fields.get("subject")):  # a list with only its content: the first words
            fields["subject"] = values.plain(fields.get("details"))[:records.SUBJECT_LIMIT]
        if not values.plain(fields.get("received")):
            raise ValidationError(col["received"], N_("is required"), row=row)
        if not values.plain(fields.get("subject")):
            raise ValidationError(col.get("subject") or col.get("details") or "subject", N_("is required"), row=row)
        try:
            clean = records.check(self.fw, self.project, fields, self.now)
        except ValidationError as err:  # the same refusal, at the file's row and column
            column = col.get(_FIELD_KEYS.get(err.field, ""), err.field)
            raise ValidationError(column, err.problem, row=row, **err.params["problem"].params) from None
        ident = clean["external_id"]
        if ident:
            if ident in self.seen:
                raise ValidationError(col["external_id"], N_("{id} is already in row {first}"), row=row,
                                      id=ident, first=self.seen[ident])
            self.seen[ident] = row
        return clean


# the fields `records.check` names → the importer's column keys
_FIELD_KEYS = {"what the customer wants": "wants", "number at the handling point": "external_id",
               **{k: k for k in COLUMNS}}


def _checked(fw, project: dict, header, rows, checks: Checks) -> list[dict]:
    checker = _Checker(fw, project, match_columns(header, COLUMNS, FIELDS.required))
    return checks.run(rows, checker.doc)


def _known(fw, project: dict) -> set[str]:
    return {d["external_id"] for d in records.all_of(fw, project) if d.get("external_id")}


def preview(fw, project, table):
    """What importing *table* would do, every refused row listed; nothing written."""
    checks = Checks(True)
    docs = _checked(fw, project, table.header, table.rows, checks)
    known = _known(fw, project)
    already = sum(1 for d in docs if d["external_id"] in known)
    return checks.preview_of(table, added=len(docs) - already, already=already)


def store(fw, project, rows, actor: str) -> dict:
    """`Importer.run`: check every row, then add the new complaints in one commit."""
    project = fw.projects.get(project) if isinstance(project, str) else project
    header = getattr(rows, "header", None) or (list(rows[0][1]) if rows else [])
    docs = _checked(fw, project, header, rows, Checks(False))
    known = _known(fw, project)
    new = [d for d in docs if not d["external_id"] or d["external_id"] not in known]
    if new:
        with fw.store.transaction(records.key(fw, project["slug"]), actor, f"{NAME}.import") as tx:
            ids = records.next_ids(fw, tx, project["slug"], len(new))
            tx.insert_many(records.TABLE, [records.new_doc(d, i, actor, "import") for d, i in zip(new, ids)])
    return {"rows": len(rows), "added": len(new), "already": len(docs) - len(new)}


def import_file(fw, project, path, actor: str, *, mapping=None, sheet=None, dry_run=False):
    """Import the file at *path* (the CLI's `run_import` calls this)."""
    project = fw.projects.get(project) if isinstance(project, str) else project
    table = read_table(path, FIELDS, limit=fw.install_settings().get("import_row_limit"),
                       mapping=mapping, sheet=sheet)
    if dry_run:
        return preview(fw, project, table)
    return store(fw, project, table.rows, actor)


IMPORTERS = [
    Importer(NAME, "complaints", "Complaints", "投诉",
             ("工单号/external_id", "受理时间/received", "渠道/channel", "投诉人/complainant",
              "联系电话/contact", "投诉主题/subject", "投诉内容/details", "客户诉求/wants", "工号/agent",
              "投诉分类/category", "严重程度/severity", "会话ID/interaction"),
             store, fields=FIELDS, preview=preview, action=IMPORT,
             counts={"rows": ("rows", "行"), "added": ("added", "新增"), "already": ("already there", "已存在")}),
]
