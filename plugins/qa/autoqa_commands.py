"""``floorwalker qa autoqa``: check a month's chats by the rules again (keeping the reviewers'
verdicts) and print one line per chat; ``--format json`` prints exactly the issue's objects
(`AutoQA.as_json`). A closed month is checked and printed but its stored results stay as they
were closed.
"""

from __future__ import annotations

import click

from floorwalker.core import N_, Session, format_option, month_option, project_option, translate

from . import autoqa, autoqa_store, interactions

COLUMNS = [("interaction", N_("interaction")), ("agent", N_("employee number")),
           *((rule, title) for rule, title in autoqa.RULES.items() if rule not in ("long_waits", "risk")),
           *autoqa.TIMES.items()]


@click.command("autoqa")
@project_option
@month_option
@format_option
@click.pass_obj
def autoqa_command(s: Session, project, month, fmt):
    """Auto-QA of every chat of a month: the three musts, the three don'ts, forbidden phrases, response times."""
    doc = s.fw.projects.get(project)
    chats = autoqa_store.chats(interactions.of_month(s.fw, project, month))
    if month not in s.fw.store.closed_months(project):
        autoqa_store.run(s.fw, doc, chats, s.actor)
    settings, forbidden = autoqa_store.settings_of(s.fw, doc)
    found = [autoqa.check(c["transcript"], settings, forbidden, interaction=c["id"], agent=c["agent"]).as_json()
             for c in chats]
    if fmt == "json":
        s.show(found, [], fmt)
        return
    yes, no = translate(N_("Yes"), s.locale), translate(N_("No"), s.locale)
    s.show([{**r, **{k: (yes if v else no) for k, v in r["checks"].items() if k != "forbidden"},
             "forbidden": "、".join(r["checks"]["forbidden"])} for r in found], COLUMNS, fmt)
