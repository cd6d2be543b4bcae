"""The traffic figures of a set of rows, pure: what `kpis` measures a span's traffic with, and how
figures of consecutive spans add up.

* **No data is None**, never 0: a field no row had, a rate whose denominator is 0.
* **A service level needs every field its formula reads** (`NEEDS`): a day whose rows lack one
  of them (an export without 短时放弃 under the formula that subtracts short abandons) has no
  service level — it is not counted as 0 —, and a span leaves such days out and says how many
  (``missing``) and which fields they lacked (``lacking``); a span of such days only has none.
* **Seats** (在线坐席数, chat reports count them beside the sessions) are the seats of an
  interval on average over the intervals that give them.
"""

from __future__ import annotations

from dataclasses import dataclass

from floorwalker.core import N_

from . import contracts, traffic


@dataclass(frozen=True)
class Measure:
    """A computed figure before its target: value in the platform's units, with what it rests
    on; ``missing`` days left out for lacking the ``lacking`` fields (comma-separated)."""

    value: float | None
    n: int | None = None
    numerator: float | None = None
    denominator: float | None = None
    missing: int = 0
    lacking: str = ""


NONE = Measure(None)
# the fields each service-level formula reads (the keys of `contracts.SL_FORMULAS`)
NEEDS = {
    "offered": ("offered", "answered_in_threshold"),
    "offered_minus_abandoned": ("offered", "answered_in_threshold", "abandoned"),
    "offered_minus_short": ("offered", "answered_in_threshold", "abandoned_short"),
    "with_abandoned_in_t": ("offered", "answered_in_threshold", "abandoned_in_threshold"),
    "answered_plus_late_abandoned": ("answered", "answered_in_threshold", "abandoned", "abandoned_in_threshold"),
}


# the fields a figure may lack, as the reader names them
FIELD_NAMES = {"offered": N_("offered"), "answered": N_("answered"),
               "answered_in_threshold": N_("answered within threshold"), "abandoned": N_("abandoned"),
               "abandoned_short": N_("short abandons"), "abandoned_in_threshold": N_("abandoned within threshold")}


def total(rows: list[dict], field: str) -> float | None:
    """The sum of *field* over *rows*; None where no row had it (no data is not 0)."""
    found = [r[field] for r in rows if r.get(field) is not None]
    return sum(found) if found else None


def ratio(numerator, denominator, n=None) -> Measure:
    if numerator is None or denominator is None or denominator <= 0:
        return Measure(None, n if n else None, numerator, denominator)
    return Measure(numerator / denominator, int(n if n is not None else denominator), numerator, denominator)


def lacking(rows: list[dict], formula: str) -> tuple[set[str], set[str]]:
    """(the days whose calls lack a field *formula* needs, those fields): a row with calls
    offered and any needed field empty makes its day lack it."""
    days, fields = set(), set()
    for r in rows:
        if r.get("offered") is None:
            continue
        empty = [f for f in NEEDS[formula] if r.get(f) is None]
        if empty:
            days.add(r["day"])
            fields.update(empty)
    return days, fields


def service_level(rows: list[dict], formula: str, threshold: int | None = None) -> Measure:
    """The service level of *rows* by *formula* (a key of `contracts.SL_FORMULAS`). Only rows
    whose threshold is *threshold* (or not given) count, and only days with every field the
    formula needs (`lacking`); n is the calls offered of the days counted."""
    rows = [r for r in rows if threshold is None or r.get("threshold_seconds") in (None, threshold)]
    days, fields = lacking(rows, formula)
    rows = [r for r in rows if r["day"] not in days]
    offered, answered = total(rows, "offered"), total(rows, "answered")
    in_t, abandoned = total(rows, "answered_in_threshold"), total(rows, "abandoned")
    short, abandoned_in_t = total(rows, "abandoned_short"), total(rows, "abandoned_in_threshold")

    def less(a, b):
        return None if a is None or b is None else a - b

    def plus(a, b):
        return None if a is None or b is None else a + b
    numerator, denominator = {
        "offered": (in_t, offered),
        "offered_minus_abandoned": (in_t, less(offered, abandoned)),
        "offered_minus_short": (in_t, less(offered, short)),
        "with_abandoned_in_t": (plus(in_t, abandoned_in_t), offered),
        "answered_plus_late_abandoned": (in_t, plus(answered, less(abandoned, abandoned_in_t))),
    }[formula]
    found = ratio(numerator, denominator, offered)
    return Measure(found.value, found.n, found.numerator, found.denominator, len(days),
                   ",".join(f for f in NEEDS[formula] if f in fields))


def traffic_measures(rows: list[dict], formula: str = contracts.DEFAULT_FORMULA,
                     threshold: int | None = None) -> dict[str, Measure]:
    """Every traffic figure of *rows* (`traffic.rows`), the service level by *formula*."""
    rows = traffic.counted(rows)
    answered, offered = total(rows, "answered"), total(rows, "offered")
    talk, hold, wrap = total(rows, "talk_seconds"), total(rows, "hold_seconds"), total(rows, "wrap_seconds")
    handled = None if talk is None else talk + (hold or 0) + (wrap or 0)
    sessions, orders = total(rows, "chat_sessions"), total(rows, "orders")
    contacts = answered if answered is not None else sessions
    seated = [r for r in rows if r.get("seats") is not None and traffic.row_kind(r) == "interval"]
    return {
        "service_level": service_level(rows, formula, threshold),
        "answer_rate": ratio(answered, offered),
        "aht_seconds": ratio(handled, answered),
        "acw_seconds": ratio(wrap, answered),
        "hold_seconds": ratio(hold, answered),
        "satisfaction": ratio(total(rows, "csat_satisfied"), total(rows, "csat_responses")),
        "fcr": ratio(total(rows, "fcr_resolved"), total(rows, "fcr_responses")),
        "first_response_seconds": ratio(total(rows, "first_response_seconds"), sessions),
        "conversion_rate": ratio(orders, total(rows, "inquiries")),
        "average_order_value": ratio(total(rows, "order_value"), orders),
        "contacts": Measure(contacts, int(contacts) if contacts is not None else None),
        "seats": ratio(total(seated, "seats"), len(seated)),
    }


def combine(measures: list[Measure], aggregate: str) -> Measure:
    """Figures of consecutive spans as one: summed, or a ratio's numerators over its
    denominators (else weighted by the denominator or n), a mean weighted by n; a ``distinct``
    count (of agents) does not add up: two spans' figures make none. The days left out add up."""
    missing = sum(m.missing for m in measures)
    lacks = ",".join(dict.fromkeys(f for m in measures for f in m.lacking.split(",") if f))
    found = [m for m in measures if m.value is not None]
    if not found:
        return Measure(None, missing=missing, lacking=lacks)
    n = sum(m.n or 0 for m in found) or None
    if len(found) == 1:
        only = found[0]
        return Measure(only.value, only.n, only.numerator, only.denominator, missing, lacks)
    if aggregate == "distinct":
        return Measure(None, missing=missing, lacking=lacks)
    if aggregate == "sum":
        return Measure(sum(m.value for m in found), n, missing=missing, lacking=lacks)
    if aggregate == "ratio" and all(m.numerator is not None and m.denominator for m in found):
        numerator, denominator = sum(m.numerator for m in found), sum(m.denominator for m in found)
        weights = [m.denominator for m in found]
        value = sum(m.value * w for m, w in zip(found, weights)) / denominator
        return Measure(value, n, numerator, denominator, missing, lacks)
    weights = [m.denominator if aggregate == "ratio" and m.denominator else (m.n or 1) for m in found]
    return Measure(sum(m.value * w for m, w in zip(found, weights)) / sum(weights), n, missing=missing, lacking=lacks)
