"""Erlang C against published figures, and loads of thousands of Erlangs without overflow."""

import math
import time

import pytest

from floorwalker.plugins.reporting import erlang


def test_call_centre_helper_worked_example():
    """Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example"
    (callcentrehelper.com): 100 calls in 30 minutes, AHT 180 s, 80 % answered in 20 s. The
    traffic is 10 Erlangs; 11 agents give a probability of waiting of 68.2 % and a service level
    of 39 %; 14 agents are the fewest reaching the target (88.8 %, occupancy 71.4 %), and 30 %
    shrinkage makes 20 to roster."""
    result = erlang.staffing(100, 180, 30, 0.8, 20, shrinkage=0.3)
    assert result.erlangs == pytest.approx(10.0)
    assert erlang.wait_probability(11, 10.0) == pytest.approx(0.6821, abs=5e-5)
    assert erlang.service_level(11, 10.0, 180, 20) == pytest.approx(0.3896, abs=5e-5)
    assert result.agents == 14
    assert result.service_level == pytest.approx(0.8884, abs=5e-4)
    assert result.occupancy == pytest.approx(0.714, abs=5e-4)
    assert result.agents_with_shrinkage == 20
    assert erlang.service_level(13, 10.0, 180, 20) < 0.8  # 13 agents fall short (79.6 %)


def test_bromley_erlang_c_step_by_step_example():
    """"The Erlang-C formula" worked example (Lester Bromley, mitan.co.uk/erlang/elgcmath.htm):
    360 calls per half hour, 4-minute calls, 55 agents, 15-second target — 48 Erlangs,
    occupancy 87.3 %, a call waits with probability 0.2387, the average speed of answer is
    8.18 s and 84.6 % of calls are answered within 15 s."""
    load = erlang.load(360, 240, 1800)
    assert load == pytest.approx(48.0)
    assert erlang.occupancy(55, load) == pytest.approx(0.8727, abs=5e-5)
    assert erlang.wait_probability(55, load) == pytest.approx(0.2387, abs=5e-5)
    assert erlang.speed_of_answer(55, load, 240) == pytest.approx(8.18, abs=5e-3)
    assert erlang.service_level(55, load, 240, 15) == pytest.approx(0.8459, abs=5e-4)


def test_textbook_tables():
    """Erlang B table (any teletraffic handbook, e.g. ITU-T "Teletraffic Engineering
    Handbook", table of E1,n(A)): 10 Erlangs on 10 lines block 21.46 %; 2 Erlangs on 5 lines
    3.67 %. The M/M/3 queue of load 2 waits with probability 4/9 (exact: Erlang C closed form)."""
    assert erlang.erlang_b(10, 10.0) == pytest.approx(0.2146, abs=5e-5)
    assert erlang.erlang_b(5, 2.0) == pytest.approx(0.0367, abs=5e-5)
    assert erlang.wait_probability(3, 2.0) == pytest.approx(4 / 9)


def test_the_recursion_equals_the_factorial_formula_where_that_one_still_works():
    for agents, load in ((5, 3.2), (20, 17.5), (60, 48.0)):
        top = load ** agents / math.factorial(agents) * agents / (agents - load)
        bottom = sum(load ** k / math.factorial(k) for k in range(agents)) + top
        assert erlang.wait_probability(agents, load) == pytest.approx(top / bottom, rel=1e-9)


def test_two_thousand_erlangs_answer_quickly_without_overflow():
    started = time.perf_counter()
    result = erlang.staffing(40_000, 180, 60, 0.8, 20)  # 2,000 Erlangs
    assert time.perf_counter() - started < 0.5
    assert result.erlangs == pytest.approx(2000.0)
    assert 2000 < result.agents < 2100
    assert result.service_level >= 0.8 > erlang.service_level(result.agents - 1, 2000.0, 180, 20)
    assert math.isfinite(result.speed_of_answer) and 0 < result.occupancy < 1


def test_overload_and_no_traffic():
    assert erlang.wait_probability(10, 10.0) == 1.0
    assert erlang.service_level(9, 10.0, 180, 20) == 0.0
    assert erlang.speed_of_answer(10, 10.0, 180) == math.inf
    quiet = erlang.staffing(0, 180, 30, 0.8, 20, shrinkage=0.3)
    assert (quiet.agents, quiet.agents_with_shrinkage, quiet.service_level) == (0, 0, 1.0)


@pytest.mark.parametrize("on_phones, shrinkage, roster", [(14, 0.3, 20), (14, 0.0, 14), (7, 0.3, 10),
                                                           (1, 0.5, 2), (3, 0.35, 5)])
def test_shrinkage_rounds_up_to_whole_agents(on_phones, shrinkage, roster):
    assert erlang.with_shrinkage(on_phones, shrinkage) == roster


def test_the_command_answers_in_json_and_refuses_bad_input_by_its_option(tmp_path):
    import json

    from click.testing import CliRunner

    from floorwalker.cli import make_cli
    from floorwalker.core.plugins import make_plugin_manager
    cli = make_cli(make_plugin_manager(builtins=["reporting"]))

    def run(*args, lang="en"):
        return CliRunner().invoke(cli, ["--data", str(tmp_path / "data"), "--lang", lang, "reporting",
                                        "staffing", *args])
    done = run("--calls", "100", "--aht", "180", "--interval", "30", "--target", "0.8",
               "--threshold", "20", "--shrinkage", "0.3", "--format", "json")
    assert done.exit_code == 0, done.output
    found = json.loads(done.output)
    assert {k: found[k] for k in ("erlangs", "agents", "agents_with_shrinkage")} == {
        "erlangs": 10.0, "agents": 14, "agents_with_shrinkage": 20}
    assert found["service_level"] == pytest.approx(0.888, abs=1e-3)
    assert found["occupancy"] == pytest.approx(0.714, abs=1e-3)
    table = run("--calls", "100", "--aht", "180", "--interval", "30", "--target", "0.8", "--threshold", "20")
    assert "14" in table.output and "88.8%" in table.output
    good = {"--calls": "100", "--aht": "180", "--interval": "30", "--target": "0.8", "--threshold": "20"}
    for option, value in (("--calls", "-5"), ("--target", "1"), ("--target", "1.2"), ("--interval", "0"),
                          ("--aht", "0"), ("--shrinkage", "1"), ("--calls", "99999999")):
        refused = run(*[x for k, v in {**good, option: value}.items() for x in (k, v)])
        assert refused.exit_code == 1 and option in refused.output, (option, value, refused.output)
    assert not (tmp_path / "data").exists()  # a calculation touches no data
