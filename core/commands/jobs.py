"""``floorwalker jobs``: the plugins' timed jobs with their last runs, and ``jobs run`` for cron.

``floorwalker serve`` runs the same jobs by itself (`jobs.Runner`); a
cron line is for an install that serves with something else, or wants them while stopped::

    */5 * * * *  floorwalker --data /srv/floorwalker/data jobs run
"""

from __future__ import annotations

import click

from ..errors import ValidationError
from ..i18n import N_, translate
from ..jobs import last_runs, run_due, run_key, select
from . import Session, format_option, when_alone


def _every(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60}h{minutes % 60:02d}" if minutes >= 60 else f"{minutes}m"


def _known(fw, job: str | None) -> str | None:
    if job is not None and job not in fw.jobs:
        raise ValidationError(N_("job"), N_("no job {name!r}; `floorwalker jobs` lists them"), name=job)
    return job


@click.group(invoke_without_command=True)
@format_option
@when_alone
def jobs(s: Session, fmt):
    """The plugins' timed jobs, each project's last run of each."""
    runs = last_runs(s.fw)
    rows = []
    for job, project in select(s.fw):
        last = runs.get(run_key(job, project["slug"])) or {}
        rows.append({"job": job.id, "every": _every(job.every), "project": project["slug"],
                     "last_run": last.get("started", ""),
                     "ok": _result(s, last)})
    s.show(rows, [("job", N_("job")), ("every", N_("every")), ("project", N_("project")),
                  ("last_run", N_("last run")), ("ok", N_("result"))], fmt)


def _result(s: Session, last: dict) -> str:
    """``ok``, the error of a failed run, or "running" for a run claimed and not finished."""
    if not last:
        return ""
    if last["ok"] is None:
        return translate(N_("still running"), s.locale)
    return "ok" if last["ok"] else last["error"]


@jobs.command("run")
@click.option("--project", help="Only this project.")
@click.option("--job", help="Only this job (<plugin>.<name>, as `floorwalker jobs` lists them).")
@click.option("--force", is_flag=True, help="Run even where the job is not due.")
@click.pass_obj
def run(s: Session, project, job, force):
    """Run the jobs that are due (for cron); exit 1 if one failed."""
    made = run_due(s.fw, project=project, job=_known(s.fw, job), force=force, actor=s.actor)
    if not made:
        s.say(N_("No job is due."))
    for record in made:
        if record["ok"]:
            s.say(N_("{job} ran in project {project}."), job=record["job"], project=record["project"])
        else:
            s.say(N_("{job} failed in project {project}: {error}"), job=record["job"],
                  project=record["project"], error=record["error"])
    if not all(record["ok"] for record in made):
        raise click.exceptions.Exit(1)


COMMANDS = (jobs,)
