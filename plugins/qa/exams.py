"""The monthly knowledge exam (客服考试): each agent's score of a month, imported from the
training team's sheet (工号, 分数), and the score events it causes.

Full marks (the project's ``exam_full_score``, default 100) earn ``exam_full_marks`` (+5); a
score under the pass mark (``exam_pass_mark``, default 60; exactly 60 passes) costs
``exam_below_60`` (−10, a medium violation: it counts toward the month's escalation like the
core's). The two rules were the core catalogue's and are this plugin's now, under the same codes:
events recorded by hand before the move keep counting and read as before (the catalogue is the
install's, whichever plugin contributes a rule), and from now on the events come from the import
alone (the rules are derived, so nobody picks them by hand and nothing is scored twice).

An import is one month's sheet, all or nothing: every row is checked first (an agent of the
project that month, a score from 0 to full marks, nobody twice, the month open) and the first bad
one stops it naming its row and column. Importing a month again **replaces** it: the scores are
the new file's, and `settle` states the whole truth about the month's ``qa:exam:`` evidence, so
an event a new score no longer wants is reversed and a new one written (a supervisor's decided
reversal stays decided). Scores live one file per month (``projects/<slug>/qa_exams/<YYYY-MM>``),
events are dated like the monthly QA events (`monthly.month_day`) with evidence
``qa:exam:<YYYY-MM>:<agent>``.
"""

from __future__ import annotations

import re

from floorwalker.core import (N_, NUMBER_NAMES, Checks, Fields, Importer, ScoreRule, ValidationError,
                              match_columns, now_iso, read_table, translate, validate, values)

from . import monthly
from .actions import EXAMS
from .config import NAME

TABLE = "exams"
FULL_RULE, BELOW_RULE = "exam_full_marks", "exam_below_60"
RULES = [
    ScoreRule(FULL_RULE, "bonus", 5, "Full marks in the monthly knowledge exam", "月度业务考试满分",
              derived=True),
    ScoreRule(BELOW_RULE, "medium", -10, "Monthly exam below 60", "月度考试低于60分", derived=True),
]
KIND = "exam"
COLUMNS = {"agent": ("agent", *NUMBER_NAMES, "number"),
           "score": ("score", "分数", "成绩", "考试成绩", "考试分数", "得分")}
FIELDS = Fields(COLUMNS, ("agent", "score"))
_STORED = "exam score {score}"
_SHOWN = N_("exam score {score}")
_PATTERN = re.compile(r"^exam score ([\d.]+)$")


def _slug(project) -> str:
    return project["slug"] if isinstance(project, dict) else project


def _key(fw, slug: str, month: str) -> str:
    return fw.store.period_key(slug, "qa_exams", month)


def evidence(month: str, agent: str) -> str:
    return f"{NAME}:{KIND}:{month}:{agent}"


def months(fw, slug: str) -> list[str]:
    """The months with exam scores, newest first."""
    folder = _key(fw, slug, "0000-00")[:-len("/0000-00")]
    return sorted((k.rsplit("/", 1)[1] for k in fw.store.keys(folder) if k != folder), reverse=True)


def of_month(fw, slug: str, month: str) -> list[dict]:
    """The month's scores, by employee number."""
    return sorted(fw.store.table(_key(fw, slug, month), TABLE).values(), key=lambda d: d["agent"])


def verdict(score: float, full: float, pass_mark: float) -> str | None:
    """The rule a score earns: full marks, under the pass mark, or none."""
    if score >= full:
        return FULL_RULE
    if score < pass_mark:
        return BELOW_RULE
    return None


def _month(month) -> str:
    if not str(month or "").strip():
        raise ValidationError(N_("month"), N_("give the month of the exam (YYYY-MM)"))
    return validate.month(str(month).strip())


class _Checker:
    def __init__(self, fw, project: dict, month: str, col: dict):
        self.fw, self.slug, self.month, self.col = fw, project["slug"], month, col
        self.full = fw.projects.settings(project, NAME)["exam_full_score"]
        self.seen: dict[str, int] = {}

    def doc(self, row: int, cells: dict) -> dict:
        col = self.col
        number = values.employee_number(cells.get(col["agent"], ""))
        if not number:
            raise ValidationError(col["agent"], N_("is required"), row=row)
        if number in self.seen:
            raise ValidationError(col["agent"], N_("{number} is already in row {first}"), row=row,
                                  number=number, first=self.seen[number])
        self.seen[number] = row
        day = monthly.month_day(self.fw, self.slug, self.month, number)
        if day is None:
            raise ValidationError(col["agent"], N_("agent {number} is not in project {project} in {month}"),
                                  row=row, number=number, project=self.slug, month=self.month)
        text = values.plain(cells.get(col["score"], "")).removesuffix("分")
        try:
            score = float(text)
        except ValueError:
            score = None
        if score is None or not 0 <= score <= self.full:
            raise ValidationError(col["score"], N_("expected a score from 0 to {full}, got {value!r}"),
                                  row=row, full=self.full, value=text)
        return {"id": number, "agent": number, "month": self.month, "date": day,
                "score": int(score) if score.is_integer() else score}


def _checked(fw, project: dict, month: str, header, rows, checks: Checks) -> list[dict]:
    if month in fw.store.closed_months(project["slug"]):
        raise ValidationError(N_("month"), N_("{month} of project {project} is closed: nothing in it "
                                              "can change"), month=month, project=project["slug"])
    checker = _Checker(fw, project, month, match_columns(header, COLUMNS, FIELDS.required))
    return checks.run(rows, checker.doc)


def _header_of(rows) -> list:
    return getattr(rows, "header", None) or (list(rows[0][1]) if rows else [])


def preview(fw, project, table, month=None):
    """What importing *table* for *month* would do, every refused row listed; nothing written."""
    project = fw.projects.get(_slug(project))
    month = _month(month)
    checks = Checks(True)
    docs = _checked(fw, project, month, table.header, table.rows, checks)
    before = {d["agent"] for d in of_month(fw, project["slug"], month)}
    return checks.preview_of(table, rows=len(docs), replaced=len(before),
                             **_counts(fw, project, docs))


def _counts(fw, project: dict, docs: list[dict]) -> dict:
    settings = fw.projects.settings(project, NAME)
    rules = [verdict(d["score"], settings["exam_full_score"], settings["exam_pass_mark"]) for d in docs]
    return {"full_marks": rules.count(FULL_RULE), "below": rules.count(BELOW_RULE)}


def store(fw, project, rows, actor: str, month=None) -> dict:
    """`Importer.run`: check every row, then make them the month's scores (replacing an earlier
    import of the month) and settle the month's exam events."""
    project = fw.projects.get(_slug(project))
    month = _month(month)
    docs = _checked(fw, project, month, _header_of(rows), rows, Checks(False))
    wanted = _wanted(fw, project, docs)
    for key, events in wanted.items():  # the ledger's checks, before anything is written
        for rule, _points, day, agent, _reason in events:
            fw.ledger.prepare(project, agent, rule, day, actor, source=NAME, evidence=key, allow_derived=True)
    now = now_iso()
    with fw.store.transaction(_key(fw, project["slug"], month), actor, "qa.exams.import") as tx:
        for old in list(tx.docs(TABLE)):
            tx.remove(TABLE, old)
        tx.insert_many(TABLE, [dict(d, imported_by=actor, imported_at=now) for d in docs])
    settled = settle(fw, project, month, actor)
    return {"rows": len(docs), **_counts(fw, project, docs), "reversed": len(settled.reversed)}


def _wanted(fw, project: dict, docs: list[dict]) -> dict[str, list[tuple]]:
    settings = fw.projects.settings(project, NAME)
    found = {}
    for d in docs:
        rule = verdict(d["score"], settings["exam_full_score"], settings["exam_pass_mark"])
        if rule:
            found[evidence(d["month"], d["agent"])] = [
                (rule, None, d["date"], d["agent"], _STORED.format(score=d["score"]))]
    return found


def settle(fw, project: dict, month: str, actor: str):
    """The month's exam events as its stored scores want them."""
    return fw.ledger.settle(project["slug"], NAME, _wanted(fw, project, of_month(fw, project["slug"], month)),
                            actor, month=month, kind=KIND, reason="the exam's scores were imported again",
                            action="qa.exams.settle")


def import_file(fw, project, path, actor: str, *, month=None, mapping=None, sheet=None, dry_run=False):
    """Import the file at *path* as *month*'s scores (the CLI's `run_import` calls this)."""
    table = read_table(path, FIELDS, limit=fw.install_settings().get("import_row_limit"),
                       mapping=mapping, sheet=sheet)
    if dry_run:
        return preview(fw, project, table, month)
    return store(fw, project, table.rows, actor, month)


def reason(stored: str, locale: str) -> str | None:
    """An exam event's stored reason in the reader's language (None: not one of these)."""
    match = _PATTERN.match(stored or "")
    return translate(_SHOWN, locale, score=match.group(1)) if match else None


COUNTS = {"rows": ("rows", "行"), "replaced": ("scores replaced", "替换原有成绩"),
          "full_marks": ("full marks", "满分"), "below": ("below the pass mark", "不及格"),
          "reversed": ("events reversed", "冲销记录")}
IMPORTERS = [
    Importer(NAME, "exams", "Monthly exam scores", "月度业务考试成绩", ("工号/agent", "分数/score"),
             store, fields=FIELDS, preview=preview, action=EXAMS, options=("month",), counts=COUNTS),
]
