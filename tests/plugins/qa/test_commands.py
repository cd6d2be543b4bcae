"""`floorwalker qa …`: the standard through a file, the interactions import, the month's
evaluations as JSON in the issue's shape."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from floorwalker.cli import make_cli
from floorwalker.plugins.qa import evaluations, scorecards, workbook

TODAY = dt.date.today().isoformat()
FULL = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0",
        "comment": "很好"}


@pytest.fixture
def run(fw, pm):
    cli = make_cli(pm)

    def invoke(*args):
        return CliRunner().invoke(cli, ["--data", str(fw.store.root), "--lang", "en", *args],
                                  catch_exceptions=False)
    return invoke


def test_the_standard_through_the_command_line(fw, run, tmp_path, make_card):
    path = tmp_path / "in.xlsx"
    path.write_bytes(workbook.export(make_card()))
    done = run("qa", "scorecard", "import", str(path), "--project", "acme")
    assert done.exit_code == 0, done.output
    assert "3 sections, 6 items, 2 forbidden phrases" in done.output
    assert run("qa", "scorecard", "publish", "--project", "acme").exit_code == 0
    assert scorecards.get(fw, "acme", 1)["status"] == "published"
    shown = run("qa", "scorecard", "show", "--project", "acme", "--format", "json")
    assert json.loads(shown.output)[0]["section"] == "服务用语"
    out = tmp_path / "out.xlsx"
    assert run("qa", "scorecard", "export", "--project", "acme", "--version", "1", "-o", str(out)).exit_code == 0
    assert workbook.read(out) == make_card()
    again = run("qa", "scorecard", "publish", "--project", "acme", "--version", "1")
    assert again.exit_code != 0 and "only a draft can be published" in again.output


def test_interactions_import_and_evaluations_as_json(fw, run, tmp_path, published):
    path = tmp_path / "chats.csv"
    path.write_text(f"会话ID,工号,时间,渠道,时长,会话内容\nC1,1001,{TODAY} 09:00:00,在线,60,[09:00:00] 客服: 您好\n",
                    encoding="utf-8")
    done = run("qa", "interactions", "import", str(path), "--project", "acme")
    assert done.exit_code == 0 and "Imported 1 interactions (0 already there)" in done.output
    assert "Imported 0 interactions (1 already there)" in run("qa", "interactions", "import", str(path),
                                                              "--project", "acme").output
    evaluations.submit(fw, fw.projects.get("acme"), "C1", 1, {**FULL, "a-0-0": "no", "c-0-0": "未用请"}, "qa1")
    listed = json.loads(run("qa", "evaluations", "--project", "acme", "--month", TODAY[:7],
                            "--format", "json").output)
    assert [(e["agent"], e["interaction"], e["kind"], e["scorecard_version"], e["fatal"], e["status"])
            for e in listed] == [("1001", "C1", "evaluation", 1, None, "open")]  # waiting for the agent
    assert listed[0]["score"] == pytest.approx(60 * 5 / 15 + 40, abs=0.01)
    assert listed[0]["items"][0] == {"section": "服务用语", "item": "开场使用“请”", "answer": "no",
                                     "points": 0, "maximum": 10, "na": False}
    table = run("qa", "evaluations", "--project", "acme", "--month", TODAY[:7])
    assert "C1" in table.output and table.exit_code == 0
