"""The monthly knowledge exam: a month's scores imported all or nothing; full marks +5, under
60 −10; importing the month again replaces it; the two rules moved from the core and still work."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from floorwalker.cli import make_cli
from floorwalker.core import ValidationError, validate
from floorwalker.core.catalogue import RULES as CORE_RULES
from floorwalker.plugins.qa import exams

MONTH = dt.date.today().isoformat()[:7]
LAST = (dt.date.fromisoformat(f"{MONTH}-01") - dt.timedelta(days=1)).isoformat()


def sheet(tmp_path, rows, name="exam.csv", header="工号,姓名,分数"):
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def active(fw, month=MONTH):
    """The month's counting exam events: (agent, rule, points)."""
    events = fw.ledger.events("acme", month)
    gone = {e["reverses"] for e in events if e["reverses"]}
    return sorted((e["agent"], e["rule"], e["points"]) for e in events
                  if not e["reverses"] and e["id"] not in gone and e["evidence"].startswith("qa:exam:"))


@pytest.mark.parametrize("score, full, pass_mark, rule", [
    (100, 100, 60, "exam_full_marks"), (99.5, 100, 60, None), (60, 100, 60, None),
    (59.5, 100, 60, "exam_below_60"), (0, 100, 60, "exam_below_60"), (120, 120, 72, "exam_full_marks"),
])
def test_the_verdict_at_each_boundary(score, full, pass_mark, rule):
    assert exams.verdict(score, full, pass_mark) == rule


def test_an_import_scores_full_marks_and_failures(fw, tmp_path):
    done = exams.import_file(fw, "acme", sheet(tmp_path, ["1001,李雷,100", "1002,韩梅梅,60", "1003,王芳,59.5"]),
                             "trainer1", month=MONTH)
    assert done == {"rows": 3, "full_marks": 1, "below": 1, "reversed": 0}
    assert active(fw) == [("1001", "exam_full_marks", 5), ("1003", "exam_below_60", -10)]
    event = next(e for e in fw.ledger.events("acme", MONTH) if e["agent"] == "1003")
    assert (event["source"], event["evidence"], event["kind"]) == ("qa", f"qa:exam:{MONTH}:1003", "medium")
    assert event["date"] == validate.month_bounds(MONTH)[1]  # the month's last day (the agent is still in)
    assert exams.reason(event["reason"], "zh_CN") == "考试成绩 59.5 分"
    assert [d["score"] for d in exams.of_month(fw, "acme", MONTH)] == [100, 60, 59.5]


def test_importing_a_month_again_replaces_it(fw, tmp_path):
    exams.import_file(fw, "acme", sheet(tmp_path, ["1001,李雷,100", "1002,韩梅梅,60", "1003,王芳,50"]),
                      "trainer1", month=MONTH)
    again = exams.import_file(fw, "acme", sheet(tmp_path, ["1001,李雷,80", "1003,王芳,100"], "b.csv"),
                              "trainer1", month=MONTH)
    assert again["reversed"] == 2  # 1001's +5 and 1003's −10
    assert active(fw) == [("1003", "exam_full_marks", 5)]
    assert [(d["agent"], d["score"]) for d in exams.of_month(fw, "acme", MONTH)] == [("1001", 80), ("1003", 100)]
    before = len(fw.ledger.events("acme", MONTH))
    exams.import_file(fw, "acme", sheet(tmp_path, ["1001,李雷,80", "1003,王芳,100"], "c.csv"), "trainer1",
                      month=MONTH)
    assert len(fw.ledger.events("acme", MONTH)) == before  # the same sheet again changes nothing


@pytest.mark.parametrize("rows, row, field", [
    (["1001,李雷,100", "2001,周杰,90"], 3, "工号"),  # beta's agent
    (["1001,李雷,101"], 2, "分数"),
    (["1001,李雷,-1"], 2, "分数"),
    (["1001,李雷,优秀"], 2, "分数"),
    (["1001,李雷,90", "1001,李雷,95"], 3, "工号"),
    ([",李雷,90"], 2, "工号"),
])
def test_a_bad_row_stops_the_import_naming_it(fw, tmp_path, rows, row, field):
    with pytest.raises(ValidationError) as caught:
        exams.import_file(fw, "acme", sheet(tmp_path, rows), "trainer1", month=MONTH)
    assert (caught.value.row, caught.value.field) == (row, field)
    assert exams.of_month(fw, "acme", MONTH) == [] and fw.ledger.events("acme", MONTH) == []


def test_the_month_is_required_and_must_be_open(fw, tmp_path):
    path = sheet(tmp_path, ["1001,李雷,100"])
    with pytest.raises(ValidationError) as caught:
        exams.import_file(fw, "acme", path, "trainer1", month=None)
    assert caught.value.field == "month"
    fw.periods.close("acme", LAST[:7], "director")
    with pytest.raises(ValidationError) as caught:
        exams.import_file(fw, "acme", path, "trainer1", month=LAST[:7])
    assert caught.value.field == "month" and exams.of_month(fw, "acme", LAST[:7]) == []


def test_a_preview_writes_nothing_and_lists_every_refused_row(fw, tmp_path):
    preview = exams.import_file(fw, "acme", sheet(tmp_path, ["1001,李雷,100", "9999,谁,50", "1002,韩梅梅,101"]),
                                "trainer1", month=MONTH, dry_run=True)
    assert preview.counts["full_marks"] == 1 and len(preview.refused) == 2
    assert exams.of_month(fw, "acme", MONTH) == []


def test_the_rules_moved_from_the_core_and_still_work(fw, tmp_path):
    assert not {"exam_full_marks", "exam_below_60"} & {r.code for r in CORE_RULES}
    owner, rule = fw.rules["exam_below_60"]
    assert (owner, rule.kind, rule.points, rule.derived) == ("qa", "medium", -10, True)
    assert fw.rules["exam_full_marks"][1].points == 5
    with pytest.raises(ValidationError):  # from the import only now, never picked by hand
        fw.ledger.record("acme", "1001", "exam_full_marks", f"{MONTH}-01", "tl")
    # an event recorded by hand before the move (source core) keeps counting
    project = fw.projects.get("acme")
    old = fw.ledger.prepare(project, "1002", "exam_full_marks", f"{MONTH}-02", "tl", allow_derived=True)
    fw.ledger.write([old], "tl", "score.record")
    # the imported −10 is a medium violation: with another medium one the month escalates
    fw.ledger.record("acme", "1001", "games_at_work", f"{MONTH}-02", "tl")
    exams.import_file(fw, "acme", sheet(tmp_path, ["1001,李雷,40"]), "trainer1", month=MONTH)
    rows = {r["number"]: r for r in fw.ledger.sheet("acme", MONTH)}
    assert rows["1002"]["bonus"] == 5 and rows["1002"]["total"] == 85
    assert rows["1001"]["violations"]["medium"] == 2 and rows["1001"]["escalation"] == -20
    assert rows["1001"]["total"] == 80 - 10 - 10 - 20


def test_a_project_changes_the_exam_points_and_marks(fw, tmp_path):
    fw.projects.configure("acme", "core", {"rule_points": {"exam_full_marks": 3}}, "admin")
    fw.projects.configure("acme", "qa", {"exam_full_score": 150, "exam_pass_mark": 90}, "admin")
    exams.import_file(fw, "acme", sheet(tmp_path, ["1001,李雷,150", "1002,韩梅梅,100", "1003,王芳,89"]),
                      "trainer1", month=MONTH)
    assert active(fw) == [("1001", "exam_full_marks", 3), ("1003", "exam_below_60", -10)]


def test_the_command_line_imports_and_lists_a_month(fw, pm, tmp_path):
    cli = make_cli(pm)

    def run(*args):
        return CliRunner().invoke(cli, ["--data", str(fw.store.root), "--lang", "en", *args],
                                  catch_exceptions=False)

    path = sheet(tmp_path, ["1001,李雷,100", "1003,王芳,30"])
    done = run("qa", "exams", "import", str(path), "--project", "acme", "--month", MONTH)
    assert done.exit_code == 0, done.output
    assert "Imported 2 exam scores" in done.output and "1 full marks, 1 under the pass mark" in done.output
    listed = json.loads(run("qa", "exams", "list", "--project", "acme", "--month", MONTH, "--format", "json").output)
    assert listed == [{"agent": "1001", "score": 100, "result": "exam_full_marks"},
                      {"agent": "1003", "score": 30, "result": "exam_below_60"}]
    refused = CliRunner().invoke(cli, ["--data", str(fw.store.root), "--lang", "en", "qa", "exams", "import",
                                       str(sheet(tmp_path, ["1001,李雷,200"], "bad.csv")), "--project", "acme",
                                       "--month", MONTH])
    assert refused.exit_code != 0 and "row 2" in refused.output
