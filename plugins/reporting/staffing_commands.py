"""``floorwalker reporting staffing --calls N --aht SECONDS --interval MINUTES --target 0.8
--threshold SECONDS [--shrinkage 0.3] --format table|json``: Erlang C for one interval, without
a project or a data folder.

The JSON object: ``erlangs`` (the traffic), ``agents`` (required on the phones),
``service_level`` and ``occupancy`` they reach (fractions), ``agents_with_shrinkage`` (to
roster), and ``speed_of_answer`` (seconds) and ``wait_probability``. A bad value is refused
naming its option.
"""

from __future__ import annotations

import click
import orjson

from floorwalker.core import N_, Session, ValidationError, format_option, translate

from . import erlang
from .staffing import AHT_LIMIT, CALLS_LIMIT

COLUMNS = [("figure", N_("Figure")), ("value", N_("Value"))]
# (key, title, how shown) in the order the table lists them
SHOWN = (("erlangs", N_("Erlangs"), "{:.2f}"), ("agents", N_("Required on the phones"), "{}"),
         ("service_level", N_("Service level reached"), "{:.1%}"), ("occupancy", N_("Occupancy"), "{:.1%}"),
         ("speed_of_answer", N_("Average speed of answer (seconds)"), "{:.1f}"),
         ("wait_probability", N_("Probability of waiting"), "{:.1%}"),
         ("agents_with_shrinkage", N_("To roster (with shrinkage)"), "{}"))


def _within(value: float, option: str, low: float, high: float, *, low_open=False, high_open=False) -> None:
    """Refuse *value* outside low…high (an open end excluded), naming *option*."""
    if value < low or (low_open and value == low):
        message = N_("must be more than {low}, got {value}") if low_open else N_("must be at least {low}, got {value}")
        raise ValidationError(option, message, low=f"{low:g}", value=f"{value:g}")
    if value > high or (high_open and value == high):
        message = N_("must be less than {high}, got {value}") if high_open else N_("must be at most {high}, got {value}")
        raise ValidationError(option, message, high=f"{high:g}", value=f"{value:g}")


def check(calls, aht, interval, target, threshold, shrinkage) -> None:
    """Every option in its range, else a `ValidationError` naming the first one out of it."""
    _within(calls, "--calls", 0, CALLS_LIMIT)
    _within(aht, "--aht", 0, AHT_LIMIT, low_open=True)
    _within(interval, "--interval", 0, 24 * 60, low_open=True)
    _within(target, "--target", 0, 1, low_open=True, high_open=True)
    _within(threshold, "--threshold", 0, 24 * 3600)
    _within(shrinkage, "--shrinkage", 0, 1, high_open=True)
    load = erlang.load(calls, aht, interval * 60)
    if load > erlang.MAX_ERLANGS:
        raise ValidationError("--calls", N_("{erlangs} Erlangs of traffic is more than {limit} can be"),
                              erlangs=f"{load:,.0f}", limit=f"{erlang.MAX_ERLANGS:,}")


@click.command("staffing")
@click.option("--calls", type=float, required=True, help="Calls offered in the interval.")
@click.option("--aht", type=float, required=True, help="Average handle time, seconds.")
@click.option("--interval", type=float, required=True, help="Length of the interval, minutes.")
@click.option("--target", type=float, required=True, help="Service-level target, a fraction (0.8).")
@click.option("--threshold", type=float, required=True, help="Service-level threshold, seconds.")
@click.option("--shrinkage", type=float, default=0.0, show_default=True,
              help="Share of rostered time off the phones (0.3).")
@format_option
@click.pass_obj
def staffing_command(s: Session, calls, aht, interval, target, threshold, shrinkage, fmt):
    """Agents an interval's calls need by Erlang C, and what they reach."""
    check(calls, aht, interval, target, threshold, shrinkage)
    found = erlang.staffing(calls, aht, interval, target, threshold, shrinkage).as_dict()
    if fmt == "json":  # one object, not a list of rows
        click.echo(orjson.dumps(found, option=orjson.OPT_INDENT_2).decode())
        return
    s.show([{"figure": translate(title, s.locale),
             "value": "–" if found[key] is None else shape.format(found[key])}
            for key, title, shape in SHOWN], COLUMNS, fmt)
