"""``scores reverse`` is a person's decision; ``scores correct`` also reaches a closed month."""

MONTH, DAY = "2025-03", "2025-03-10"  # as in conftest.py


def test_scores_reverse_is_a_decision(run, fw):
    event = fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    result = run("scores", "reverse", event["id"], "--reason", "not him")
    assert result.exit_code == 0, result.output
    (reversal,) = [e for e in fw.ledger.events("acme", MONTH) if e["reverses"]]
    assert reversal["decision"] is True


def test_scores_correct_adjusts_the_first_open_month_after_a_close(run, fw):
    event = fw.ledger.record("acme", "1001", "absent", DAY, "tl")
    fw.periods.close("acme", MONTH, "admin")
    result = run("scores", "correct", event["id"], "--reason", "leave approved late")
    assert result.exit_code == 0, result.output
    (adjustment,) = fw.ledger.events("acme", "2025-04")
    assert result.output.strip() == (f"Event {event['id']} of closed 2025-03 corrected by "
                                      f"adjustment {adjustment['id']} (+20 in 2025-04).")
    again = run("scores", "correct", event["id"], "--reason", "again", lang="zh_CN")
    assert again.exit_code != 0 and "已" in again.output


def test_scores_correct_in_an_open_month_reverses(run, fw):
    event = fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    result = run("scores", "correct", event["id"], "--reason", "not him", lang="zh_CN")
    assert result.exit_code == 0, result.output
    (reversal,) = [e for e in fw.ledger.events("acme", MONTH) if e["reverses"]]
    assert reversal["id"] in result.output and reversal["decision"] is True
