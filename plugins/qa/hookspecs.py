"""The hooks the QA plugin declares for other plugins to implement (the core adds them to the
plugin manager as the plugin is registered; see `core/plugins.py`). A plugin implementing one
marks it ``@hookimpl(optionalhook=True)``, so it loads where QA is not installed."""

from __future__ import annotations

from floorwalker.core import hookspec


@hookspec
def qa_coaching_item(floorwalker, project, evaluation):
    """Open a coaching item for the agent of an evaluation flagged for coaching. Project-scoped.

    :param floorwalker: the facade.
    :param project: the evaluation's project.
    :param evaluation: the evaluation document (``id``, ``agent``, ``score``, ``comment``,
        ``items`` …; link back to it as ``/p/<project>/qa/evaluations/<id>``).
    :returns: True when a coaching item was opened, else nothing.

    Called when an evaluator submits an evaluation with its coaching flag set, or sets the flag
    on an edit. Until an enabled plugin implements it, the flag shows on the agent's QA page.
    Example: meetings adds the evaluation to the agent's next one-to-one and returns True.
    """
