"""Server-side SVG charts: well-formed XML with an accessible name, a missing value a gap (not
a zero), the target line at its height, rates in percent, the same markup for the same data,
and a chart that WeasyPrint renders into a PDF."""

import xml.etree.ElementTree as ET

import pytest

from floorwalker.plugins.reporting import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup):
    return ET.fromstring(str(markup))


def grid_y(root, value):
    (line,) = [g for g in root.iter(f"{SVG}line") if g.get("class") == "grid"
               and float(g.get("data-value")) == value]
    return float(line.get("y1"))


def test_a_line_chart_parses_and_names_itself():
    root = parse(charts.line([("W1", 0.82), ("W2", 0.78)], unit="%", title="Service level <weekly>"))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Service level <weekly>"
    assert "W1: 82%" in root.find(f"{SVG}desc").text
    assert not list(root.iter(f"{SVG}script"))


def test_a_missing_value_leaves_a_gap_not_a_zero():
    root = parse(charts.line([("1", 10), ("2", 12), ("3", None), ("4", 11), ("5", 13)]))
    lines = [p for p in root.iter(f"{SVG}polyline") if p.get("class") == "series"]
    assert [len(p.get("points").split()) for p in lines] == [2, 2]  # broken at the gap
    points = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "point"]
    assert len(points) == 4
    assert grid_y(root, 0) not in {float(c.get("cy")) for c in points}
    bars = parse(charts.bars([("a", 3), ("b", None), ("c", 0)]))
    assert len([r for r in bars.iter(f"{SVG}rect") if r.get("class") == "bar"]) == 2


@pytest.mark.parametrize("draw", [charts.line, charts.bars])
def test_the_target_line_sits_at_its_height(draw):
    root = parse(draw([("Mon", 0.5), ("Tue", 0.9)], target=0.8, unit="%"))
    (target,) = [g for g in root.iter(f"{SVG}line") if g.get("class") == "target"]
    zero, full = grid_y(root, 0), grid_y(root, 1)  # the axis runs 0 … 100 % by 20
    assert float(target.get("y1")) == pytest.approx(zero + 0.8 * (full - zero), abs=0.01)
    assert any(t.text == "80%" for t in root.iter(f"{SVG}text"))


def test_the_axis_ends_at_a_round_number_above_values_and_target():
    root = parse(charts.line([("a", 12), ("b", 17)], target=32, unit="s"))
    ticks = sorted(float(g.get("data-value")) for g in root.iter(f"{SVG}line") if g.get("class") == "grid")
    assert ticks == [0, 10, 20, 30, 40]
    assert any(t.text == "20 s" for t in root.iter(f"{SVG}text"))
    zh = parse(charts.line([("a", 12)], unit="s", locale="zh_CN"))
    assert any(t.text == "10秒" for t in zh.iter(f"{SVG}text")) and "a: 12秒" in zh.find(f"{SVG}desc").text


def test_grouped_bars_have_a_legend_and_one_bar_per_value():
    root = parse(charts.bars({"Required": [("08:00", 4), ("08:30", 6)],
                              "Scheduled": [("08:00", 5), ("08:30", 3)]}, title="Staffing"))
    titles = [r.find(f"{SVG}title").text for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert titles == ["Required · 08:00: 4", "Required · 08:30: 6", "Scheduled · 08:00: 5",
                      "Scheduled · 08:30: 3"]
    assert {"Required", "Scheduled"} <= {t.text for t in root.iter(f"{SVG}text")}


def test_the_same_data_draws_the_same_markup_and_different_charts_have_their_own_ids():
    one = charts.line([("a", 1), ("b", 2)], title="A")
    assert one == charts.line([("a", 1), ("b", 2)], title="A")
    other = charts.line([("a", 1), ("b", 3)], title="A")
    assert parse(one).find(f"{SVG}title").get("id") != parse(other).find(f"{SVG}title").get("id")


def test_a_chart_renders_in_a_pdf():
    from floorwalker.core import to_pdf
    chart = charts.bars({"需排班": [("08:00", 4), ("08:30", 6)], "已排班": [("08:00", 5), ("08:30", 3)]},
                        target=5, title="人力对比", locale="zh_CN")
    pdf = to_pdf(html=str(chart), title="人力测算", locale="zh_CN")
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
