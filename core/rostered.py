"""`RosteredShift`, the record of the `agent_shifts` hook: an agent rostered on the floor from a
moment to a moment.

Kept beside `records.py` (which holds the other records hooks return, and would pass 500 lines
with it) and exported the same way, from `floorwalker.core`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class RosteredShift:
    """*agent* on the floor from *start* to *end* (naive wall-clock datetimes of the project's
    time zone; a night shift's end is the next day), on the work date *date* the shift belongs
    to. `shift` is the shift type's code, `job_type` what the shift works (``voice``, ``chat`` …)
    and `break_minutes` the meal break inside it, whose moment the roster does not fix."""

    agent: str
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    shift: str = ""
    job_type: str = ""
    break_minutes: int = 0
    plugin: str = ""  # stamped by the core

    def __post_init__(self):
        if isinstance(self.date, str):  # an ISO date is taken as the date it names
            object.__setattr__(self, "date", dt.date.fromisoformat(self.date))
        for name in ("start", "end"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, dt.datetime.fromisoformat(value))
        if self.end <= self.start:
            raise ValueError(f"shift of {self.agent} on {self.date}: its end is not after its start")
