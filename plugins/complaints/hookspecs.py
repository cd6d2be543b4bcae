"""The hooks the complaints plugin declares for other plugins to implement (the core adds them to
the plugin manager as the plugin is registered; see `core/plugins.py`). A plugin implementing
one marks it ``@hookimpl(optionalhook=True)``, so it loads where complaints is not installed.
Both are called once per complaint, when it is first judged valid against an agent; a verdict
changed later reverses the deduction (the ledger's) but leaves a review or a coaching item to
the people who hold it."""

from __future__ import annotations

from floorwalker.core import hookspec


@hookspec
def complaints_review(floorwalker, project, complaint):
    """Put the interaction linked to a valid complaint against an agent up for a QA review.
    Project-scoped.

    :param floorwalker: the facade.
    :param project: the complaint's project.
    :param complaint: the complaint document (``id``, ``agent``, ``interaction`` — the QA
        interaction's id —, ``received``, ``verdict`` …; link back to it as
        ``/p/<project>/complaints/<id>``).
    :returns: the address of the page where the review waits, or None when the implementing
        plugin has nothing to review (it does not know the interaction).

    Called when a complaint with a linked interaction is first judged valid against an agent.
    Where no enabled plugin implements it, the complaint page says the review was skipped.
    Example: QA adds the interaction to its month's sampling plan as a must-check pick and
    returns ``/p/acme/qa/plan?month=2026-11``.
    """


@hookspec
def complaints_coaching_item(floorwalker, project, complaint, leaders):
    """Open a coaching item for the agent of a valid complaint, for its team leaders.
    Project-scoped.

    :param floorwalker: the facade.
    :param project: the complaint's project.
    :param complaint: the complaint document (``id``, ``agent``, ``subject``, ``verdict`` …; link
        back to it as ``/p/<project>/complaints/<id>``).
    :param leaders: the usernames of the team leaders of the agent's team on the day the
        complaint was received (may be empty).
    :returns: True when a coaching item was opened, else nothing.

    Called when a complaint is first judged valid against an agent. Until an enabled plugin
    implements it, the complaint page lists the coaching item itself.
    Example: meetings adds the complaint to the agent's next one-to-one and returns True.
    """
