"""The score ledger: what may be recorded, reversals, overrides and who may be scored when."""

import pytest

from floorwalker.core import Conflict, ScoreRule, SheetColumn, ValidationError, hookimpl
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager

from ..pgcluster import store_for

MONTH = "2025-03"
DAY = "2025-03-10"


class MonthEnd:
    """A tiny plugin with a bonus it derives at month end (as complaints derives its +5)."""

    @hookimpl
    def register_score_rules(self):
        return [ScoreRule("month_bonus", "bonus", 5, "Month-end bonus", "月末奖励", derived=True)]


@pytest.fixture
def fw(tmp_path):
    pm = make_plugin_manager(builtins=())
    pm.register(MonthEnd(), name="month_end")
    fw = Floorwalker(store_for(tmp_path), pm)
    fw.projects.create("acme", "Acme", "admin")
    fw.teams.create("acme", "day", "Day team", "admin")
    fw.agents.add("acme", "1001", "Li Lei", "admin", team="day", hired="2025-01-01")
    return fw


def row_of(fw, number="1001", month=MONTH):
    return next(r for r in fw.ledger.sheet("acme", month) if r["number"] == number)


def record_many(fw, code, times, day=DAY, **options):
    for _ in range(times):
        fw.ledger.record("acme", "1001", code, day, "tl", **options)


def test_untouched_agent_starts_at_base_80(fw):
    row = row_of(fw)
    assert (row["base"], row["total"], row["raw_total"], row["escalation"]) == (80, 80, 80, 0)


@pytest.mark.parametrize("bonuses, total, raw", [(5, 105, 105), (6, 110, 110), (7, 110, 115)])
def test_total_is_capped_at_full_marks(fw, bonuses, total, raw):
    record_many(fw, "covered_shift", bonuses)
    row = row_of(fw)
    assert (row["total"], row["raw_total"]) == (total, raw)


def test_a_month_that_would_reach_118_shows_110(fw):
    record_many(fw, "extra_task", 8)
    fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    row = row_of(fw)
    assert (row["total"], row["raw_total"]) == (110, 118)


@pytest.mark.parametrize("code, count, escalation", [
    ("loud", 3, 0), ("loud", 4, -20), ("loud", 5, -20),
    ("games_at_work", 1, 0), ("games_at_work", 2, -20),
])
def test_escalation_at_its_thresholds(fw, code, count, escalation):
    record_many(fw, code, count)
    row = row_of(fw)
    points = fw.ledger.rule(code).points
    assert row["escalation"] == escalation
    assert row["total"] == 80 + count * points + escalation


def test_severe_violations_do_not_count_towards_escalation(fw):
    record_many(fw, "absent", 4)
    assert row_of(fw)["escalation"] == 0


def test_escalation_thresholds_follow_project_settings(fw):
    fw.projects.configure("acme", "core", {"escalation_light": 2, "escalation_points": -15}, "admin")
    record_many(fw, "loud", 2)
    assert row_of(fw)["escalation"] == -15


@pytest.mark.parametrize("code, points", [
    ("late_or_early", -1), ("late_or_early", -6), ("chatting", 0), ("loud", -3), ("loud", 5),
])
def test_points_outside_the_rule_range_are_refused(fw, code, points):
    with pytest.raises(ValidationError) as err:
        fw.ledger.record("acme", "1001", code, DAY, "tl", points=points)
    assert err.value.field == "points"


@pytest.mark.parametrize("points", [-5, -2])
def test_points_at_the_ends_of_a_range_are_accepted(fw, points):
    event = fw.ledger.record("acme", "1001", "late_or_early", DAY, "tl", points=points)
    assert event["points"] == points
    assert row_of(fw)["total"] == 80 + points


def test_points_must_be_whole_numbers(fw):
    with pytest.raises(ValidationError) as err:
        fw.ledger.record("acme", "1001", "late_or_early", DAY, "tl", points=-2.5)
    assert err.value.field == "points"


def test_unknown_rule_code_is_refused(fw):
    with pytest.raises(ValidationError) as err:
        fw.ledger.record("acme", "1001", "no_such_rule", DAY, "tl")
    assert err.value.field == "rule"
    assert "no_such_rule" in str(err.value)


@pytest.mark.parametrize("code", ["month_bonus", "duties_failed"])
def test_derived_rules_are_refused_by_hand(fw, code):
    with pytest.raises(ValidationError) as err:
        fw.ledger.record("acme", "1001", code, DAY, "tl")
    assert err.value.field == "rule"


def test_a_derived_rule_may_be_written_by_the_system(fw):
    fw.ledger.record("acme", "1001", "month_bonus", DAY, "system", allow_derived=True)
    assert row_of(fw)["bonus"] == 5


def test_a_stored_escalation_is_not_counted_twice(fw):
    record_many(fw, "loud", 4)
    fw.ledger.record("acme", "1001", "duties_failed", DAY, "system", allow_derived=True)
    row = row_of(fw)
    assert row["total"] == 80 - 8 - 20


def test_leader_judgement_needs_a_reason(fw):
    with pytest.raises(ValidationError) as err:
        fw.ledger.record("acme", "1001", "leader_judgement", DAY, "tl", points=3, reason="  ")
    assert err.value.field == "reason"


@pytest.mark.parametrize("points, ok", [(-6, False), (-5, True), (0, True), (5, True), (6, False)])
def test_leader_judgement_range(fw, points, ok):
    if ok:
        fw.ledger.record("acme", "1001", "leader_judgement", DAY, "tl", points=points, reason="why")
        assert row_of(fw)["judgement"] == points
    else:
        with pytest.raises(ValidationError, match="points"):
            fw.ledger.record("acme", "1001", "leader_judgement", DAY, "tl", points=points, reason="why")


def test_a_second_judgement_in_the_month_is_refused(fw):
    fw.ledger.record("acme", "1001", "leader_judgement", DAY, "tl", points=3, reason="steady")
    with pytest.raises(Conflict) as err:
        fw.ledger.record("acme", "1001", "leader_judgement", "2025-03-31", "tl", points=-2, reason="again")
    assert err.value.http_status == 409
    assert err.value.message("en") == ("agent 1001 already has “Team leader's judgement of the month” for 2025-03; "
                                       "reverse it to change it")
    assert "冲销" in err.value.message("zh_CN")
    assert row_of(fw)["judgement"] == 3
    fw.ledger.record("acme", "1001", "leader_judgement", "2025-04-01", "tl", points=1, reason="next")


def test_a_judgement_may_be_given_again_after_its_reversal(fw):
    first = fw.ledger.record("acme", "1001", "leader_judgement", DAY, "tl", points=3, reason="steady")
    fw.ledger.reverse(first["id"], "wrong agent", "tl")
    fw.ledger.record("acme", "1001", "leader_judgement", DAY, "tl", points=-1, reason="second look")
    assert row_of(fw)["judgement"] == -1


def test_a_batch_with_two_judgements_for_one_agent_month_writes_nothing(fw):
    project = fw.projects.get("acme")
    events = [fw.ledger.prepare(project, "1001", "leader_judgement", day, "tl", points=2, reason="x")
              for day in (DAY, "2025-03-20")]
    with pytest.raises(Conflict, match="already has “Team leader's judgement of the month”"):
        fw.ledger.write(events, "tl", "score.import")
    assert fw.ledger.events("acme", MONTH) == []


def test_a_reversal_flows_through_to_the_total(fw):
    event = fw.ledger.record("acme", "1001", "absent", DAY, "tl")
    assert row_of(fw)["total"] == 60
    reversal = fw.ledger.reverse(event["id"], "leave was approved after all", "sup")
    row = row_of(fw)
    assert row["total"] == 80
    shown = {e["id"]: e for e in row["events"]}
    assert shown[event["id"]]["reversed_by"] == reversal["id"]
    assert shown[reversal["id"]]["reverses"] == event["id"]
    assert reversal["points"] == 20 and reversal["recorded_by"] == "sup"


def test_a_reversal_of_an_escalating_violation_lifts_the_escalation(fw):
    record_many(fw, "loud", 3)
    fourth = fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    assert row_of(fw)["escalation"] == -20
    fw.ledger.reverse(fourth["id"], "wrong agent", "sup")
    row = row_of(fw)
    assert (row["escalation"], row["total"]) == (0, 74)


def test_a_reversal_cannot_be_reversed(fw):
    event = fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    reversal = fw.ledger.reverse(event["id"], "mistake", "sup")
    with pytest.raises(Conflict):
        fw.ledger.reverse(reversal["id"], "undo the undo", "sup")


def test_an_event_is_reversed_only_once(fw):
    event = fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    fw.ledger.reverse(event["id"], "mistake", "sup")
    with pytest.raises(Conflict):
        fw.ledger.reverse(event["id"], "again", "sup")
    assert row_of(fw)["total"] == 80


def test_a_reversal_needs_a_reason(fw):
    event = fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    with pytest.raises(ValidationError) as err:
        fw.ledger.reverse(event["id"], "", "sup")
    assert err.value.field == "reason"


def test_the_ledger_is_append_only(fw):
    event = fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    fw.ledger.reverse(event["id"], "mistake", "sup")
    stored = fw.ledger.events("acme", MONTH)
    assert len(stored) == 2
    assert next(e for e in stored if e["id"] == event["id"]) == event


@pytest.mark.parametrize("override, code, points, accepted", [
    ({"loud": -3}, "loud", None, -3),
    ({"loud": -3}, "loud", -3, -3),
    ({"chatting": [-4, -1]}, "chatting", -4, -4),
    ({"chatting": [-1, -4]}, "chatting", -3, -3),
])
def test_rule_points_override_per_project(fw, override, code, points, accepted):
    fw.projects.configure("acme", "core", {"rule_points": override}, "admin")
    event = fw.ledger.record("acme", "1001", code, DAY, "tl", points=points)
    assert event["points"] == accepted


def test_rule_points_override_narrows_the_range(fw):
    fw.projects.configure("acme", "core", {"rule_points": {"loud": -3}}, "admin")
    with pytest.raises(ValidationError) as err:
        fw.ledger.record("acme", "1001", "loud", DAY, "tl", points=-2)
    assert err.value.field == "points"


def test_rule_points_override_is_per_project(fw):
    fw.projects.create("other", "Other", "admin")
    fw.agents.add("other", "2001", "Han Meimei", "admin", hired="2025-01-01")
    fw.projects.configure("acme", "core", {"rule_points": {"loud": -3}}, "admin")
    assert fw.ledger.record("other", "2001", "loud", DAY, "tl")["points"] == -2


@pytest.mark.parametrize("bad", ['{"loud": "a lot"}', '{"loud": [1]}', "[1, 2]", '{"loud": true}'])
def test_rule_points_of_the_wrong_shape_are_refused_when_set(fw, bad):
    with pytest.raises(ValidationError) as err:
        fw.projects.configure("acme", "core", {"rule_points": bad}, "admin")
    assert err.value.field == "rule_points"


def test_an_agent_of_another_project_is_refused(fw):
    fw.projects.create("other", "Other", "admin")
    fw.agents.add("other", "2001", "Han Meimei", "admin", hired="2025-01-01")
    with pytest.raises(ValidationError) as err:
        fw.ledger.record("acme", "2001", "loud", DAY, "tl")
    assert err.value.field == "agent"


def test_an_agent_before_hire_is_refused(fw):
    with pytest.raises(ValidationError) as err:
        fw.ledger.record("acme", "1001", "loud", "2024-12-31", "tl")
    assert err.value.field == "agent"


def test_an_agent_after_a_move_to_another_project_is_refused_there(fw):
    fw.projects.create("other", "Other", "admin")
    fw.agents.move("1001", "other", "admin", start="2025-03-15")
    fw.ledger.record("acme", "1001", "loud", "2025-03-14", "tl")
    with pytest.raises(ValidationError) as err:
        fw.ledger.record("acme", "1001", "loud", "2025-03-15", "tl")
    assert err.value.field == "agent"
    fw.ledger.record("other", "1001", "loud", "2025-03-15", "tl")


def test_an_agent_after_leaving_is_refused(fw):
    fw.agents.leave("1001", "2025-03-20", "resigned", "admin")
    fw.ledger.record("acme", "1001", "loud", "2025-03-20", "tl")
    with pytest.raises(ValidationError):
        fw.ledger.record("acme", "1001", "loud", "2025-03-21", "tl")


@pytest.mark.parametrize("code", ["asleep_on_duty", "line_off_hook"])
def test_dismissal_level_conduct_flags_the_row(fw, code):
    assert row_of(fw)["flags"] == []
    event = fw.ledger.record("acme", "1001", code, DAY, "tl")
    assert row_of(fw)["flags"] == ["dismissal_conduct"]
    fw.ledger.reverse(event["id"], "it was someone else", "sup")
    assert row_of(fw)["flags"] == []


def test_an_adjustment_must_name_a_month(fw):
    with pytest.raises(ValidationError) as err:
        fw.ledger.record("acme", "1001", "adjustment", DAY, "sup", points=3, reason="late QA")
    assert err.value.field == "adjusts"


def test_an_adjustment_must_name_a_closed_month(fw):
    with pytest.raises(ValidationError) as err:
        fw.ledger.record("acme", "1001", "adjustment", DAY, "sup", points=3, reason="late QA",
                         adjusts="2025-02")
    assert err.value.field == "adjusts"


def test_an_adjustment_for_a_closed_month_goes_into_an_open_one(fw):
    fw.periods.close("acme", "2025-02", "admin")
    event = fw.ledger.record("acme", "1001", "adjustment", DAY, "sup", points=3,
                             reason="QA dispute won", adjusts="2025-02")
    assert (event["period"], event["adjusts"]) == (MONTH, "2025-02")
    assert row_of(fw)["adjustment"] == 3


def test_every_event_traces_who_why_and_evidence(fw):
    event = fw.ledger.record("acme", "1001", "absent", DAY, "tl", reason="no show",
                             source="attendance", evidence="attendance:shift:42")
    shown = row_of(fw)["events"][0]
    assert {k: shown[k] for k in ("rule", "points", "recorded_by", "reason", "source", "evidence",
                                  "date")} == {
        "rule": "absent", "points": -20, "recorded_by": "tl", "reason": "no show",
        "source": "attendance", "evidence": "attendance:shift:42", "date": DAY}
    assert shown["id"] == event["id"]


class Grades:
    """A tiny plugin adding a column to the sheet: a grade from each row's total."""

    @hookimpl
    def sheet_columns(self, rows):
        grades = {r["number"]: "A" if r["total"] > 90 else "B" for r in rows}
        return [SheetColumn("grades", "grade", "Grade", "等级", grades)]


def test_sheet_columns_come_from_enabled_plugins_only(tmp_path):
    pm = make_plugin_manager(builtins=())
    pm.register(Grades(), name="grades")
    fw = Floorwalker(store_for(tmp_path), pm)
    fw.projects.create("acme", "Acme", "admin")
    fw.projects.create("quiet", "Quiet", "admin", plugins=[])
    fw.agents.add("acme", "1001", "Li Lei", "admin", hired="2025-01-01")
    fw.agents.add("quiet", "2001", "Han Meimei", "admin", hired="2025-01-01")
    record_many(fw, "covered_shift", 3)
    assert fw.ledger.sheet("acme", MONTH)[0]["grade"] == "A"
    assert "grade" not in fw.ledger.sheet("quiet", MONTH)[0]


def test_a_kept_sheet_follows_every_change_to_its_files(fw, tmp_path):
    """The core keeps recent sheets' rows; any write to the month's events or to core.json (a
    setting, a new agent), in this process or another, shows in the next sheet."""
    assert row_of(fw)["total"] == 80
    fw.ledger.record("acme", "1001", "best_of_month", DAY, "tl")
    assert row_of(fw)["total"] == 85
    fw.projects.set("acme", "core.base_score", 70, "admin")
    assert row_of(fw)["total"] == 75
    fw.agents.add("acme", "1002", "Han Meimei", "admin", team="day", hired="2025-01-01")
    assert [r["number"] for r in fw.ledger.sheet("acme", MONTH)] == ["1001", "1002"]
    other = Floorwalker(store_for(tmp_path), make_plugin_manager(builtins=()))  # another process's view
    other.ledger.record("acme", "1001", "loud", DAY, "tl")
    assert row_of(fw)["total"] == 73
    row_of(fw)["total"] = 0  # a caller changing its copy changes nothing kept
    assert row_of(fw)["total"] == 73


def test_a_second_judgement_is_refused_in_the_readers_words_not_the_rules_code(fw):
    """A Chinese reader reads the rule's title (班长月度评议), never its code."""
    fw.ledger.record("acme", "1001", "leader_judgement", "2025-03-10", "tl", points=2, reason="fine")
    with pytest.raises(Conflict) as err:
        fw.ledger.record("acme", "1001", "leader_judgement", "2025-03-11", "tl", points=1, reason="again")
    assert "班长月度评议" in err.value.message("zh_CN") and "leader_judgement" not in err.value.message("zh_CN")
