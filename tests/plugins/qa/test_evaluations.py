"""Interactions imported all or nothing; an evaluation pins its version, needs a comment where
points are lost, and writes its score events with the evaluation as their evidence."""

import datetime as dt

import pytest

from floorwalker.core import Conflict, ValidationError
from floorwalker.plugins.qa import evaluations, interactions, scorecards

TODAY = dt.date.today().isoformat()
CHAT = "[23:59:50] 客户: 在吗\\n[00:00:05] 客服: 您好，请问有什么可以帮您？"


def _csv(tmp_path, lines, name="calls.csv"):
    path = tmp_path / name
    path.write_text("会话ID,工号,时间,渠道,时长,会话内容,录音\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def imported(fw, tmp_path):
    path = _csv(tmp_path, [f'C1,1001,{TODAY} 09:00:00,在线,125,"{CHAT}",',
                           f"C2,1002,{TODAY} 10:00:00,电话,02:05,,rec/2.wav",
                           f"C3,1001,{TODAY} 11:00:00,工单,,退款申请已处理,"])
    return interactions.import_file(fw, "acme", path, "sup1")


def test_interactions_import_and_a_second_import_skips_them(fw, tmp_path, imported):
    assert imported == {"rows": 3, "added": 3, "already": 0}
    again = interactions.import_file(fw, "acme", _csv(tmp_path, [
        f"C2,1002,{TODAY} 10:00:00,电话,125,,rec/2.wav", f"C4,1003,{TODAY} 12:00:00,call,60,,r4"], "b.csv"),
        "sup1")
    assert again == {"rows": 2, "added": 1, "already": 1}
    c2 = interactions.get(fw, "acme", "C2")
    assert (c2["channel"], c2["duration"], c2["recording"]) == ("call", 125, "rec/2.wav")
    assert interactions.get(fw, "acme", "C1")["channel"] == "chat"


def test_a_bad_row_stops_the_whole_import_naming_it(fw, tmp_path):
    path = _csv(tmp_path, [f"C1,1001,{TODAY} 09:00:00,在线,10,hello,",
                           f"C2,2001,{TODAY} 09:00:00,在线,10,hello,"])  # 2001 is beta's
    with pytest.raises(ValidationError) as caught:
        interactions.import_file(fw, "acme", path, "sup1")
    assert (caught.value.row, caught.value.field) == (3, "工号")
    assert interactions.months(fw, "acme") == []
    preview = interactions.import_file(fw, "acme", path, "sup1", dry_run=True)
    assert preview.counts == {"added": 1, "already": 0} and len(preview.refused) == 1


def test_a_row_needs_a_transcript_or_a_recording(fw, tmp_path):
    with pytest.raises(ValidationError) as caught:
        interactions.import_file(fw, "acme", _csv(tmp_path, [f"C1,1001,{TODAY} 09:00:00,在线,10,,"]), "sup1")
    assert caught.value.row == 2


FULL = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0",
        "comment": "很好"}


def _submit(fw, interaction="C1", version=1, **changes):
    form = {**FULL, **changes}
    return evaluations.submit(fw, fw.projects.get("acme"), interaction, version, form, "qa1")


def test_every_item_is_answered_and_every_lost_point_explained(fw, published, imported):
    form = {k: v for k, v in FULL.items() if k != "a-1-1"}
    form["a-0-1"] = "3.5"
    with pytest.raises(ValidationError) as caught:
        evaluations.submit(fw, fw.projects.get("acme"), "C1", 1, form, "qa1")
    assert set(caught.value.problems) == {"a-1-1", "c-0-1"}
    assert evaluations.months(fw, "acme") == []


def test_an_evaluation_pins_the_version_it_used(fw, published, imported, make_card, sample_rows):
    first = _submit(fw, "C1")
    rows = [r if r[2] != "记录完整" else (*r[:4], 20, *r[5:]) for r in sample_rows]
    scorecards.start_draft(fw, "acme", "qa1")
    scorecards.save_draft(fw, "acme", make_card(rows), "qa1")
    scorecards.publish(fw, "acme", 2, "qa1")
    with pytest.raises(Conflict):  # the form showed version 1, archived since 2 was published
        _submit(fw, "C2", version=1)
    second = _submit(fw, "C2", version=2, **{"a-1-1": "no", "c-1-1": "漏记"})
    assert (first["scorecard_version"], second["scorecard_version"]) == (1, 2)
    assert evaluations.get(fw, "acme", first["id"])["items"][4]["maximum"] == 10
    assert second["items"][4]["maximum"] == 20
    assert second["score"] == pytest.approx(60 + 40 * 10 / 30, abs=0.01)


def test_an_interaction_is_evaluated_once(fw, published, imported):
    _submit(fw, "C1")
    with pytest.raises(Conflict):
        _submit(fw, "C1")


def test_score_events_carry_the_evaluation_as_evidence(fw, published, imported):
    full = _submit(fw, "C1")
    fatal = _submit(fw, "C2", **{"a-0-2": "no", "c-0-2": "辱骂客户"})
    plain = _submit(fw, "C3", **{"a-0-1": "4.5", "c-0-1": "语气生硬"})
    events = {e["evidence"]: e for e in fw.ledger.events("acme", TODAY[:7])}
    assert events[f"qa:evaluation:{full['id']}"]["rule"] == "qa_full_marks"
    assert events[f"qa:evaluation:{full['id']}"]["points"] == 2
    assert (events[f"qa:evaluation:{fatal['id']}"]["rule"], events[f"qa:evaluation:{fatal['id']}"]["points"],
            events[f"qa:evaluation:{fatal['id']}"]["agent"], events[f"qa:evaluation:{fatal['id']}"]["source"]) \
        == ("qa_fatal_error", -10, "1002", "qa")
    assert f"qa:evaluation:{plain['id']}" not in events
    assert fatal["score"] == 0 and fatal["fatal"] == "all"


def test_the_projects_rule_points_change_the_events(fw, published, imported):
    fw.projects.configure("acme", "core", {"rule_points": {"qa_fatal_error": -15}}, "setup")
    fatal = _submit(fw, "C2", **{"a-1-0": "5", "c-1-0": "信息错误"})
    event = next(e for e in fw.ledger.events("acme", TODAY[:7]) if e["evidence"] == f"qa:evaluation:{fatal['id']}")
    assert (fatal["fatal"], event["points"]) == ("section", -15)


def test_the_json_shape_of_an_evaluation(fw, published, imported):
    doc = evaluations.as_json(_submit(fw, "C1", **{"a-0-1": "", "n-0-1": "1"}))
    assert set(doc) == {"id", "kind", "agent", "interaction", "evaluator", "scorecard_version", "score",
                        "fatal", "status", "items"}
    assert doc["items"][1] == {"section": "服务用语", "item": "语气亲切", "answer": None, "points": None,
                               "maximum": 5, "na": True}
    assert doc["items"][0]["answer"] == "yes" and doc["kind"] == "evaluation"
