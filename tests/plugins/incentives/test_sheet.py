"""Grade, pay float and flags on the month's score sheet, from the ledger, through the core."""

import orjson
import pytest
from click.testing import CliRunner

from floorwalker.cli import make_cli
from floorwalker.core import PeriodClosed

MONTH = "2025-03"


def row_of(fw, number, month=MONTH, project="acme"):
    return next(r for r in fw.ledger.sheet(project, month) if r["number"] == number)


@pytest.mark.parametrize("points, total, letter, amount", [
    (11, 91, "A", 110), (10, 90, "B", 100), (0, 80, "B", 0), (-10, 70, "C", -100),
    (-12, 68, "D", -120), (-15, 65, "D", -150), (-20, 60, "E", -200), (-21, 59, "F", -210),
    (-60, 20, "F", -300)])
def test_the_sheet_carries_grade_and_pay_float(fw, score, points, total, letter, amount):
    score("1001", points)
    row = row_of(fw, "1001")
    assert (row["total"], row["grade"], row["pay_float"]) == (total, letter, amount)


def test_a_month_that_would_reach_118_shows_110_and_floats_300(fw, score):
    score("1001", 38)
    row = row_of(fw, "1001")
    assert (row["raw_total"], row["total"], row["grade"], row["pay_float"]) == (118, 110, "A", 300)


def test_a_new_hire_is_graded_but_floats_nothing(fw, score):
    score("1004", 11)
    row = row_of(fw, "1004")
    assert (row["total"], row["grade"], row["pay_float"], row["employment_month"]) == (91, "A", 0, 1)


def test_the_escalation_at_its_threshold_flows_into_grade_and_pay(fw):
    for day in ("2025-03-03", "2025-03-04", "2025-03-05"):
        fw.ledger.record("acme", "1001", "loud", day, "tl")
    row = row_of(fw, "1001")
    assert (row["escalation"], row["total"], row["grade"]) == (0, 74, "C")
    fw.ledger.record("acme", "1001", "loud", "2025-03-06", "tl")
    row = row_of(fw, "1001")
    assert (row["escalation"], row["total"], row["grade"], row["pay_float"]) == (-20, 52, "F", -280)
    assert "dismissal_review" in row["flags"]


def test_the_escalation_at_two_medium_violations(fw):
    fw.ledger.record("acme", "1001", "games_at_work", "2025-03-03", "tl")
    assert (row_of(fw, "1001")["total"], row_of(fw, "1001")["grade"]) == (70, "C")
    fw.ledger.record("acme", "1001", "anomaly_unreported", "2025-03-04", "tl")
    row = row_of(fw, "1001")
    assert (row["escalation"], row["total"], row["grade"], row["pay_float"]) == (-20, 40, "F", -300)


def test_a_reversal_flows_through_to_grade_and_pay(fw, score):
    event = score("1001", -25)
    assert (row_of(fw, "1001")["grade"], row_of(fw, "1001")["pay_float"]) == ("F", -250)
    assert "dismissal_review" in row_of(fw, "1001")["flags"]
    fw.ledger.reverse(event["id"], "leave approved afterwards", "sup")
    row = row_of(fw, "1001")
    assert (row["total"], row["grade"], row["pay_float"], row["flags"]) == (80, "B", 0, [])


def test_dismissal_conduct_stays_beside_the_review_flag(fw, score):
    fw.ledger.record("acme", "1002", "asleep_on_duty", "2025-03-04", "tl")
    score("1002", -30)
    assert row_of(fw, "1002")["flags"] == ["dismissal_conduct", "dismissal_review"]


def test_lowest_of_the_project_two_months_running(fw, score):
    score("1003", -12, day="2025-02-10")       # 68, lowest in February
    score("1003", -14)                         # 66, lowest in March
    score("1004", -5)                          # 75: the new hire is not lowest
    assert "dismissal_review" in row_of(fw, "1003")["flags"]
    assert "dismissal_review" not in row_of(fw, "1003", "2025-02")["flags"]  # one month only
    assert row_of(fw, "1001")["flags"] == []


def test_settings_of_a_project_change_its_sheet_only(fw, score):
    fw.projects.configure("acme", "incentives", {"grade_bands": {"A": 95, "B": 85, "C": 75, "D": 70,
                                                                 "E": 60}, "pay_per_point": 5}, "sup")
    score("1001", 11)
    score("2001", 11, project="beta")
    assert (row_of(fw, "1001")["grade"], row_of(fw, "1001")["pay_float"]) == ("B", 55)
    assert (row_of(fw, "2001", project="beta")["grade"], row_of(fw, "2001", project="beta")["pay_float"]) == ("A", 110)


def test_a_closed_month_keeps_its_grades_and_refuses_writes(fw, score):
    score("1001", 11)
    fw.periods.close("acme", MONTH, "sup")
    fw.projects.configure("acme", "incentives", {"pay_per_point": 20}, "sup")
    assert (row_of(fw, "1001")["grade"], row_of(fw, "1001")["pay_float"]) == ("A", 110)
    with pytest.raises(PeriodClosed):
        score("1001", 5)
    assert fw.ledger.record("acme", "1001", "adjustment", "2025-04-02", "sup", points=-3,
                            reason="wrong bonus", adjusts=MONTH)["adjusts"] == MONTH


def test_a_project_without_the_plugin_has_no_grades(fw, score):
    fw.projects.disable("acme", "incentives", "admin")
    score("1001", 11)
    assert "grade" not in row_of(fw, "1001")


def test_scores_json_carries_grade_pay_float_and_flags(fw, pm, score):
    score("1001", 11)
    score("1002", -12)
    result = CliRunner().invoke(make_cli(pm), ["--data", str(fw.store.root), "--lang", "en",
                                               "scores", "--project", "acme", "--month", MONTH,
                                               "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["number"]: r for r in orjson.loads(result.stdout)}
    assert (rows["1001"]["grade"], rows["1001"]["pay_float"], rows["1001"]["flags"]) == ("A", 110, [])
    assert (rows["1002"]["grade"], rows["1002"]["pay_float"]) == ("D", -120)
    assert (rows["1004"]["pay_float"], rows["1004"]["employment_month"]) == (0, 1)


def test_project_kpis_give_grade_distribution_and_pay_float_total(fw, score):
    score("1001", 11)    # 91 A +110
    score("1002", -12)   # 68 D −120
    score("1003", -30)   # 50 F −300; 1004 stays at 80, B, a new hire floating nothing
    found = fw.project_hook(fw.projects.get("acme"), "project_kpis")(
        floorwalker=fw, project=fw.projects.get("acme"), period=MONTH)
    kpis = {k.code: k.value for group in found for k in group}
    assert {g: kpis[f"grade_{g}"] for g in "ABCDEF"} == {"A": 1, "B": 1, "C": 0, "D": 1, "E": 0, "F": 1}
    assert "average_score" not in kpis  # the core's dashboard figure, not repeated
    assert kpis["pay_float_total"] == 110 - 120 - 300
