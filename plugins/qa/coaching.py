"""The coaching flag of an evaluation (需辅导): the evaluator asks for coaching, and a plugin
that implements `qa_coaching_item` (the meetings plugin, later) opens the coaching item. Until
an enabled plugin implements it, the flag shows on the agent's QA page — the QA plugin
keeps no coaching items of its own."""

from __future__ import annotations

HOOK = "qa_coaching_item"


def handled(fw, project: dict) -> bool:
    """Whether an enabled plugin of *project* opens coaching items."""
    return bool(fw.project_hook(project, HOOK).get_hookimpls())


def ask(fw, project: dict, evaluation: dict) -> bool:
    """Ask the implementing plugins for a coaching item; True when one opened it."""
    if not evaluation.get("coaching"):
        return False
    answers = fw.project_hook(project, HOOK)(floorwalker=fw, project=project, evaluation=evaluation)
    return any(answers)
