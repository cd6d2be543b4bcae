"""The ledger's shared services: `settle` (a plugin states the events its evidence wants),
decisions that no settle undoes, `correct` (a reversal, or an adjustment after a close), and
plugin rules escalating by their kind."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from floorwalker.core import Conflict, PeriodClosed, ScoreRule, ValidationError, hookimpl
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.ledger import Wanted
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.settlement import first_open_month

from ..pgcluster import store_for

MARCH, APRIL, MAY = "2025-03", "2025-04", "2025-05"
DAY = "2025-03-10"
SOURCE = "training"


class Training:
    """A tiny plugin with a rule of its own, a medium violation as the rulebook calls it."""

    @hookimpl
    def register_score_rules(self):
        return [ScoreRule("training_skipped", "medium", -10, "Skipped a training", "缺席培训"),
                # a bonus its month-end derivation gives every agent with no event of the evidence
                ScoreRule("no_complaint", "bonus", 5, "No valid complaint", "无有效投诉", derived=True,
                          withheld_by=f"{SOURCE}:complaint:")]


@pytest.fixture
def fw(tmp_path):
    pm = make_plugin_manager(builtins=())
    pm.register(Training(), name=SOURCE)
    fw = Floorwalker(store_for(tmp_path), pm)
    fw.projects.create("acme", "Acme", "admin")
    fw.teams.create("acme", "day", "Day team", "admin")
    fw.agents.add("acme", "1001", "Li Lei", "admin", team="day", hired="2025-01-01")
    fw.agents.add("acme", "1002", "Han Meimei", "admin", team="day", hired="2025-01-01")
    return fw


def key(n) -> str:
    return f"{SOURCE}:session:{n}"


def events_file(fw, month=MARCH) -> str:
    return fw.store.period_key("acme", "score_events", month)


def generation(fw, month=MARCH) -> int:
    return fw.store.read(events_file(fw, month)).generation


def active(fw, month=MARCH, agent=None) -> list[tuple]:
    events = fw.ledger.events("acme", month)
    reversed_ids = {e["reverses"] for e in events if e["reverses"]}
    return sorted((e["evidence"], e["rule"], e["points"], e["date"]) for e in events
                  if not e["reverses"] and e["id"] not in reversed_ids
                  and (agent is None or e["agent"] == agent))


def total(fw, month=MARCH, number="1001") -> int:
    return next(r["total"] for r in fw.ledger.sheet("acme", month) if r["number"] == number)


def settle(fw, wanted, **options):
    return fw.ledger.settle("acme", SOURCE, wanted, "system", **options)


# ------------------------------------------------------------------ settle


def test_settle_writes_what_is_missing_and_reverses_what_is_not_wanted_in_one_commit(fw):
    settle(fw, {key(1): [("loud", -2, DAY, "1001", "loud")],
                key(2): [("task_not_done", -3, DAY, "1002", "late report")]})
    before = generation(fw)
    done = settle(fw, {key(1): [],                                               # no longer
                       key(2): [("task_not_done", -3, DAY, "1002", "late report")],  # as it was
                       key(3): [Wanted("training_skipped", None, DAY, "1001", "no show")]})
    assert generation(fw) == before + 1  # one commit for the month's file
    assert [e["rule"] for e in done.written] == ["training_skipped"]
    assert [(e["rule"], e["points"], e["reason"], e["decision"]) for e in done.reversed] == \
        [("loud", 2, "no longer wanted", False)]
    assert active(fw) == [(key(2), "task_not_done", -3, DAY), (key(3), "training_skipped", -10, DAY)]
    (written,) = done.written
    assert (written["source"], written["evidence"], written["recorded_by"]) == (SOURCE, key(3), "system")


def test_settle_again_changes_nothing(fw):
    wanted = {key(1): [{"rule": "loud", "points": -2, "date": DAY, "agent": "1001", "reason": "x"}]}
    assert len(settle(fw, wanted).written) == 1
    before = {k: fw.store.read(k).generation for k in fw.store.keys("projects/acme")}
    done = settle(fw, wanted)
    assert (done.written, done.reversed) == ((), ())
    assert {k: fw.store.read(k).generation for k in fw.store.keys("projects/acme")} == before


def test_only_what_differs_is_reversed_and_written(fw):
    two = [("late_or_early", -4, DAY, "1001", "late"), ("late_or_early", -2, DAY, "1001", "early")]
    settle(fw, {key(1): two})
    done = settle(fw, {key(1): two[:1]}, reasons={key(1): "left on time after all"})
    assert [(e["points"], e["reason"]) for e in done.reversed] == [(2, "left on time after all")]
    assert done.written == ()
    assert active(fw) == [(key(1), "late_or_early", -4, DAY)]


def test_without_a_kind_only_the_keys_given_are_settled(fw):
    settle(fw, {key(1): [("loud", -2, DAY, "1001", "")], key(2): [("loud", -2, DAY, "1002", "")]})
    fw.ledger.record("acme", "1001", "messy_desk", DAY, "tl", source="core", evidence=key(3))
    settle(fw, {key(1): []})
    assert active(fw) == [(key(2), "loud", -2, DAY), (key(3), "messy_desk", -2, DAY)]


def test_with_a_kind_the_month_is_the_whole_truth_about_it_for_the_agents_given(fw):
    settle(fw, {key(1): [("loud", -2, DAY, "1001", "")], key(2): [("loud", -2, DAY, "1002", "")],
                f"{SOURCE}:mark:1": [("messy_desk", -2, DAY, "1001", "")]})
    done = settle(fw, {}, month=MARCH, kind="session", agents={"1001"}, reason="session cancelled")
    assert [(e["evidence"], e["reason"]) for e in done.reversed] == [(key(1), "session cancelled")]
    assert active(fw) == [(f"{SOURCE}:mark:1", "messy_desk", -2, DAY), (key(2), "loud", -2, DAY)]
    settle(fw, {}, month=MARCH, kind="session")
    assert active(fw) == [(f"{SOURCE}:mark:1", "messy_desk", -2, DAY)]


def test_an_event_moving_to_another_month_is_one_commit_in_each_file(fw):
    settle(fw, {key(1): [("loud", -2, DAY, "1001", "")]})
    march, april = generation(fw), generation(fw, APRIL)
    settle(fw, {key(1): [("loud", -2, "2025-04-02", "1001", "moved")]})
    assert (generation(fw), generation(fw, APRIL)) == (march + 1, april + 1)
    assert active(fw) == [] and active(fw, APRIL) == [(key(1), "loud", -2, "2025-04-02")]


def test_a_refused_event_writes_nothing_anywhere(fw):
    settle(fw, {key(1): [("loud", -2, DAY, "1001", "")]})
    march = generation(fw)
    with pytest.raises(ValidationError):
        settle(fw, {key(1): [], key(2): [("loud", -2, "2025-04-02", "1001", "")],
                    key(3): [("loud", -9, DAY, "1001", "out of range")]})
    assert generation(fw) == march and generation(fw, APRIL) == 0
    assert active(fw) == [(key(1), "loud", -2, DAY)]


def test_two_settles_at_once_write_the_event_once(fw, tmp_path):
    """Each settle locks the month's file before it reads it (another process, another view)."""
    wanted = {key(n): [("loud", -2, DAY, "1001", "")] for n in range(20)}
    other = Floorwalker(store_for(tmp_path), fw.pm)
    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(lambda ledger: ledger.settle("acme", SOURCE, wanted, "system"),
                             (fw.ledger, other.ledger)))
    assert sorted(len(d.written) for d in done) == [0, 20]
    assert len(active(fw)) == 20


@pytest.mark.parametrize("wanted, options", [
    ({"core:session:1": []}, {}),                       # another plugin's evidence
    ({f"{SOURCE}:1": []}, {}),                          # not <plugin>:<kind>:<id>
    ({f"{SOURCE}:mark:1": []}, {"month": MARCH, "kind": "session"}),  # another kind
    ({key(1): [("loud", -2, "2025-04-01", "1001", "")]}, {"month": MARCH}),  # outside the month
    ({}, {"kind": "session"}),                          # a whole kind needs its month
])
def test_settle_refuses_a_misstated_call(fw, wanted, options):
    with pytest.raises(ValueError):
        settle(fw, wanted, **options)


# ------------------------------------------------------------------ decisions


def test_a_decided_reversal_survives_every_later_settle(fw):
    wanted = {key(1): [("loud", -2, DAY, "1001", "")], key(2): [("loud", -2, DAY, "1002", "")]}
    done = settle(fw, wanted)
    one = next(e for e in done.written if e["evidence"] == key(1))
    reversal = fw.ledger.reverse(one["id"], "the supervisor heard the call: not him", "sup",
                                 decision=True)
    assert reversal["decision"] is True
    again = settle(fw, wanted)
    assert (again.written, again.reversed, again.decided) == ((), (), (key(1),))
    punch_found_later = {key(1): [("loud", -3, DAY, "1001", "")]}
    assert settle(fw, punch_found_later, month=MARCH, kind="session").decided == (key(1),)
    assert active(fw) == []  # key 2, undecided, followed the month's truth
    assert total(fw) == 80


def test_a_plugins_own_reversal_is_not_a_decision(fw):
    wanted = {key(1): [("loud", -2, DAY, "1001", "")]}
    (event,) = settle(fw, wanted).written
    fw.ledger.reverse(event["id"], "evidence changed", "system")
    assert len(settle(fw, wanted).written) == 1
    assert active(fw) == [(key(1), "loud", -2, DAY)]


def test_a_closed_months_evidence_is_left_alone_and_reported(fw):
    settle(fw, {key(1): [("loud", -2, DAY, "1001", "")]})
    fw.periods.close("acme", MARCH, "sup")
    done = settle(fw, {key(1): [], key(2): [("loud", -2, DAY, "1002", "")],
                       key(3): [("loud", -2, "2025-04-01", "1002", "")]})
    assert done.closed == (key(1), key(2))
    assert [e["evidence"] for e in done.written] == [key(3)]
    assert settle(fw, {}, month=MARCH, kind="session").closed == (key(1),)


# ------------------------------------------------------------------ correct


def test_correct_in_an_open_month_is_a_decided_reversal(fw):
    event = fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    reversal = fw.ledger.correct(event["id"], "wrong agent", "sup")
    assert (reversal["reverses"], reversal["points"], reversal["decision"], reversal["period"]) == \
        (event["id"], 2, True, MARCH)
    with pytest.raises(Conflict):
        fw.ledger.correct(event["id"], "again", "sup")
    with pytest.raises(Conflict):
        fw.ledger.correct(reversal["id"], "undo", "sup")


def test_correct_in_a_closed_month_adjusts_the_first_open_month(fw):
    event = fw.ledger.record("acme", "1001", "absent", DAY, "tl", reason="no show")
    fw.periods.close("acme", MARCH, "sup")
    march = generation(fw)
    with pytest.raises(PeriodClosed):
        fw.ledger.reverse(event["id"], "leave approved late", "sup")
    adjustment = fw.ledger.correct(event["id"], "leave approved late", "sup")
    assert generation(fw) == march and total(fw) == 60  # the closed month is untouched
    assert {k: adjustment[k] for k in ("rule", "kind", "points", "date", "adjusts", "corrects",
                                       "evidence", "recorded_by", "reason", "decision")} == {
        "rule": "adjustment", "kind": "adjustment", "points": 20, "date": "2025-04-01",
        "adjusts": MARCH, "corrects": event["id"], "evidence": None, "recorded_by": "sup",
        "reason": "leave approved late", "decision": True}
    assert total(fw, APRIL) == 100
    with pytest.raises(Conflict):
        fw.ledger.correct(event["id"], "again", "sup")
    with pytest.raises(Conflict):
        fw.ledger.correctable(event["id"])


def test_correct_skips_closed_months_to_the_first_open_one(fw):
    event = fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    fw.periods.close("acme", MARCH, "sup")
    fw.periods.close("acme", APRIL, "sup")
    assert fw.ledger.correct(event["id"], "not him", "sup")["period"] == MAY
    assert first_open_month("2025-12", {"2026-01"}) == "2026-02"


def test_a_correction_includes_an_escalation_that_no_longer_holds(fw):
    first = fw.ledger.record("acme", "1001", "games_at_work", DAY, "tl")
    second = fw.ledger.record("acme", "1001", "anomaly_unreported", DAY, "tl")
    fw.periods.close("acme", MARCH, "sup")
    assert total(fw) == 80 - 10 - 10 - 20
    assert fw.ledger.correct(first["id"], "it was a training video", "sup")["points"] == 10 + 20
    # the next correction of the same month starts from the month as already corrected
    assert fw.ledger.correct(second["id"], "he had leave", "sup")["points"] == 10
    assert total(fw) + 30 + 10 == 80  # the month as if neither had happened


def test_a_correction_includes_a_derived_bonus_now_earned(fw):
    quarrel = fw.ledger.record("acme", "1001", "quarrel_with_customer", DAY, "qa", source=SOURCE,
                               evidence=f"{SOURCE}:complaint:C1")
    loud = fw.ledger.record("acme", "1001", "loud", DAY, "tl")  # no complaint: withholds nothing
    bonus = fw.ledger.prepare(fw.projects.get("acme"), "1002", "no_complaint",
                              "2025-03-31", "system", allow_derived=True, source=SOURCE)
    fw.ledger.write([bonus], "system", "training.close")  # the month-end derivation ran
    fw.periods.close("acme", MARCH, "sup")
    assert fw.ledger.correct(quarrel["id"], "the complaint was not valid", "sup")["points"] == 20 + 5
    assert fw.ledger.correct(loud["id"], "someone else", "sup")["points"] == 2


def test_a_derived_bonus_is_earned_only_when_its_last_withholding_event_is_corrected(fw):
    first, second = (fw.ledger.record("acme", "1001", "quarrel_with_customer", DAY, "qa", source=SOURCE,
                                      evidence=f"{SOURCE}:complaint:C{n}") for n in (1, 2))
    bonus = fw.ledger.prepare(fw.projects.get("acme"), "1002", "no_complaint",
                              "2025-03-31", "system", allow_derived=True, source=SOURCE)
    fw.ledger.write([bonus], "system", "training.close")
    fw.periods.close("acme", MARCH, "sup")
    assert fw.ledger.correct(first["id"], "not valid", "sup")["points"] == 20
    assert fw.ledger.correct(second["id"], "not valid either", "sup")["points"] == 20 + 5


def test_no_derived_bonus_where_the_derivation_never_ran(fw):
    quarrel = fw.ledger.record("acme", "1001", "quarrel_with_customer", DAY, "qa", source=SOURCE,
                               evidence=f"{SOURCE}:complaint:C1")
    fw.periods.close("acme", MARCH, "sup")
    assert fw.ledger.correct(quarrel["id"], "not valid", "sup")["points"] == 20


def test_a_correction_follows_the_cap(fw):
    for _ in range(7):
        fw.ledger.record("acme", "1001", "extra_task", DAY, "tl")
    loud = fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    fw.periods.close("acme", MARCH, "sup")
    assert total(fw) == 110  # 80 + 35 - 2 = 113, capped
    adjustment = fw.ledger.correct(loud["id"], "someone else", "sup")
    assert adjustment["points"] == 0 and adjustment["corrects"] == loud["id"]


def test_reversing_an_adjustment_makes_its_event_correctable_again(fw):
    event = fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    fw.periods.close("acme", MARCH, "sup")
    adjustment = fw.ledger.correct(event["id"], "not him", "sup")
    fw.ledger.reverse(adjustment["id"], "it was him after all", "sup", decision=True)
    assert fw.ledger.correctable(event["id"])[1]["id"] == event["id"]


# ------------------------------------------------------------------ rule kinds


def test_a_plugin_rules_kind_escalates_with_the_cores(fw):
    fw.ledger.record("acme", "1001", "training_skipped", DAY, "trainer", source=SOURCE)
    assert fw.ledger.sheet("acme", MARCH)[0]["escalation"] == 0
    fw.ledger.record("acme", "1001", "games_at_work", DAY, "tl")
    row = fw.ledger.sheet("acme", MARCH)[0]
    assert (row["violations"]["medium"], row["escalation"], row["total"]) == (2, -20, 80 - 20 - 20)
