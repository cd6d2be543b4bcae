"""Erlang C: how many agents a queue of calls needs to reach a service level (pure functions).

The model (M/M/N, calls wait and never hang up) is the one every workforce-management tool
starts from: calls arrive at random, *load* = calls × AHT ÷ the interval's seconds (Erlangs),
and with *agents* on the phones

* the probability a call waits (Erlang C) is ``N·B / (N − A·(1 − B))``, B being Erlang B;
* the service level within *threshold* seconds is ``1 − C · e^(−(N − A)·T / AHT)``;
* the average speed of answer is ``C · AHT / (N − A)``; occupancy is ``A / N``.

Erlang B comes from its recursion ``B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1))``, whose terms
stay between 0 and 1: no factorial and no power of A is ever formed, so a load of thousands of
Erlangs neither overflows nor loses precision, and finding the agents a load needs walks the
recursion once (each agent count costs one step), so 2,000 Erlangs answer in milliseconds.

With as many agents as Erlangs or fewer the queue grows without end: every call waits, the
service level is 0 and the speed of answer infinite. Rates are fractions (0.8, shown as 80 %),
times in seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# A service level within this of the target reaches it (0.8 computed as 0.7999999999).
EPSILON = 1e-9
# The largest load answered (a step of the recursion per agent: 100,000 Erlangs take ~50 ms);
# callers refuse more as a typing slip — the largest floors carry a few thousand.
MAX_ERLANGS = 100_000


def load(calls: float, aht: float, interval_seconds: float) -> float:
    """The traffic of *calls* in an interval, in Erlangs (calls × AHT ÷ the interval)."""
    return calls * aht / interval_seconds


def erlang_b(agents: int, erlangs: float) -> float:
    """The probability a call finds every one of *agents* busy and is lost (Erlang B)."""
    blocked = 1.0
    for k in range(1, agents + 1):
        blocked = erlangs * blocked / (k + erlangs * blocked)
    return blocked


def _erlang_c(agents: int, erlangs: float, blocked: float) -> float:
    if agents <= erlangs:
        return 1.0
    return agents * blocked / (agents - erlangs * (1.0 - blocked))


def wait_probability(agents: int, erlangs: float) -> float:
    """The probability a call has to wait (Erlang C); 1 when the agents cannot keep up."""
    if erlangs <= 0:
        return 0.0
    return _erlang_c(agents, erlangs, erlang_b(agents, erlangs))


def _service_level(agents: int, erlangs: float, waits: float, aht: float, threshold: float) -> float:
    if erlangs <= 0:
        return 1.0
    if agents <= erlangs:
        return 0.0
    return max(0.0, 1.0 - waits * math.exp(-(agents - erlangs) * threshold / aht))


def service_level(agents: int, erlangs: float, aht: float, threshold: float) -> float:
    """The share of calls answered within *threshold* seconds with *agents* on the phones."""
    return _service_level(agents, erlangs, wait_probability(agents, erlangs), aht, threshold)


def speed_of_answer(agents: int, erlangs: float, aht: float) -> float:
    """The average seconds a call waits before an agent answers (ASA); infinite when the
    agents cannot keep up."""
    if erlangs <= 0:
        return 0.0
    if agents <= erlangs:
        return math.inf
    return wait_probability(agents, erlangs) * aht / (agents - erlangs)


def occupancy(agents: int, erlangs: float) -> float:
    """The share of the agents' time spent on calls (at most 1: beyond it the queue grows)."""
    return min(1.0, erlangs / agents) if agents else 0.0


def agents(erlangs: float, aht: float, target: float, threshold: float) -> int:
    """The fewest agents that answer *target* of the calls within *threshold* seconds (0 for
    no traffic)."""
    if erlangs <= 0:
        return 0
    if erlangs > MAX_ERLANGS:
        raise ValueError(f"{erlangs} Erlangs is more than {MAX_ERLANGS}")
    blocked, count = 1.0, 0
    while True:
        count += 1
        blocked = erlangs * blocked / (count + erlangs * blocked)
        if count <= erlangs:
            continue
        waits = _erlang_c(count, erlangs, blocked)
        if _service_level(count, erlangs, waits, aht, threshold) >= target - EPSILON:
            return count


def with_shrinkage(on_phones: int, shrinkage: float) -> int:
    """The agents to roster so that *on_phones* are on the phones when *shrinkage* of the
    rostered time goes to breaks, training, meetings and absence (14 at 30 % → 20)."""
    if on_phones <= 0:
        return 0
    return math.ceil(round(on_phones / (1.0 - shrinkage), 9))


@dataclass(frozen=True)
class Staffing:
    """What a load needs: the agents on the phones and to roster, and what they reach."""

    erlangs: float
    agents: int  # on the phones
    service_level: float
    occupancy: float
    speed_of_answer: float  # seconds (ASA)
    wait_probability: float
    agents_with_shrinkage: int  # to roster

    def as_dict(self) -> dict:
        return {"erlangs": round(self.erlangs, 4), "agents": self.agents,
                "service_level": round(self.service_level, 4),
                "occupancy": round(self.occupancy, 4),
                "speed_of_answer": None if math.isinf(self.speed_of_answer)
                else round(self.speed_of_answer, 2),
                "wait_probability": round(self.wait_probability, 4),
                "agents_with_shrinkage": self.agents_with_shrinkage}


def staffing(calls: float, aht: float, interval_minutes: float, target: float, threshold: float,
             shrinkage: float = 0.0) -> Staffing:
    """The staffing of *calls* in an interval of *interval_minutes* at *aht* seconds, for
    *target* of the calls answered within *threshold* seconds, with *shrinkage*."""
    erlangs = load(calls, aht, interval_minutes * 60)
    needed = agents(erlangs, aht, target, threshold)
    waits = wait_probability(needed, erlangs)
    answer = 0.0 if erlangs <= 0 else waits * aht / (needed - erlangs)
    return Staffing(erlangs, needed, _service_level(needed, erlangs, waits, aht, threshold),
                    occupancy(needed, erlangs), answer, waits, with_shrinkage(needed, shrinkage))
