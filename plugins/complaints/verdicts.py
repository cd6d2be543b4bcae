"""The seam between a complaint's verdict and the rest of the floor.

`on_verdict` is called after every verdict is stored (the first one, and a changed one after an
appeal or new evidence). Today it does nothing but keep the seam: the verdict, its reason and
the score rule chosen with it are on the complaint. The next slice of issue 14 (item 5) fills it
in: for a valid complaint against an agent, a provisional deduction of the chosen rule through
``ledger.settle`` with source ``complaints`` and evidence ``complaints:complaint:<id>`` (dated in
the month the complaint was received; a verdict after that month closed goes in as a correction
naming it), a QA review of the linked interaction and a coaching item for the agent's team
leader through plugin-declared hooks; a verdict changed to invalid settles the deduction away.
"""

from __future__ import annotations

from .config import NAME


def evidence(complaint_id: str) -> str:
    """The ledger's evidence key of a complaint's score events."""
    return f"{NAME}:complaint:{complaint_id}"


def on_verdict(fw, project: dict, complaint: dict, previous: dict | None, actor: str,
               user: dict | None = None) -> None:
    """React to *complaint*'s verdict (``complaint["verdict"]``: ``outcome``, ``reason``,
    ``rule``), which replaced *previous* (None for the first). No effect yet: see the module."""
    return None
