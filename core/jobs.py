"""Work on a timer: the jobs plugins declare (`register_jobs`), run where they are due.

A job runs once per project that enables its plugin, when its `every` has passed since it last
ran there, with *now* the project's wall-clock time (`projects.now`). Two things run them:

* ``floorwalker serve`` holds a `Runner` for as long as it serves: a daemon thread that makes a
  pass every minute. The event loop never waits for it (the store is safe across threads and
  processes), and it stops with the server;
* ``floorwalker jobs run`` makes one pass, for cron (``--project``, ``--job``, ``--force``).

Both may run at once — and ``serve --workers N`` runs the Runner once, in the process that
supervises the workers, not in each worker. A job runs once wherever it is due: the pass that
finds it due *claims* it first, in one commit under the file's lock that re-reads the last run
(`_claim`), so a second runner — a cron line, another server on the same data — sees the claim
and leaves the job alone until it is due again. A claimed run whose process died is due again
after its `every`; a job that failed half-way runs again at the next pass (every job is
idempotent, so a second run does no harm, only work). Each (job, project) has one record — the
last run, whether it succeeded, its counts — in a file of its own, ``data/jobs.json`` (table
``runs``): in core.json a commit a minute would bump the generation that keys the score
sheets' cache, for nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from .records import Job

JOBS = "jobs"  # the store's key: data/jobs.json
RUNS = "runs"
TICK = 60.0  # seconds between the server's passes: no job runs more often than once a minute
log = logging.getLogger(__name__)


def last_runs(fw) -> dict[str, dict]:
    """Every recorded run by ``<plugin>.<job>:<project>``."""
    return fw.store.table(JOBS, RUNS)


def run_key(job: Job, slug: str) -> str:
    return f"{job.id}:{slug}"


def select(fw, *, project: str | None = None, job: str | None = None) -> list[tuple[Job, dict]]:
    """The (job, project) pairs there are: each job with each project that enables its plugin,
    narrowed to one *project* slug and one *job* (``<plugin>.<name>``) when given."""
    projects = [fw.projects.get(project)] if project else fw.projects.all()
    jobs = [fw.jobs[job]] if job else list(fw.jobs.values())
    return [(j, p) for p in projects for j in jobs if j.plugin in p["plugins"]]


def is_due(job: Job, last: dict | None, now: dt.datetime) -> bool:
    """Whether *job* is due at *now*, given its *last* recorded run there (a last run "after"
    now — the clock or the time zone moved back — counts as long ago)."""
    if last is None:
        return True
    started = dt.datetime.fromisoformat(last["started"])
    return now < started or now - started >= job.every


def run_due(fw, *, project: str | None = None, job: str | None = None, force: bool = False,
            at: dt.datetime | None = None, actor: str = "system") -> list[dict]:
    """Run every job that is due (every selected one with *force*) and record the runs.

    *at* stands for every project's wall-clock time (tests, a catch-up); by default each
    project's own. A job that raises is recorded as failed and the others still run. Returns
    the runs made, as recorded.
    """
    runs = last_runs(fw)
    made = []
    for each, project_doc in select(fw, project=project, job=job):
        now = at or fw.projects.now(project_doc)
        key = run_key(each, project_doc["slug"])
        if (force or is_due(each, runs.get(key), now)) and _claim(fw, each, now, key, force, actor):
            made.append(_run(fw, each, project_doc, now, key))
    if made:
        with fw.store.transaction(JOBS, actor, "jobs.run") as tx:
            for record in made:
                if tx.get(RUNS, record["id"]) is None:
                    tx.insert(RUNS, record)
                else:
                    tx.update(RUNS, record["id"], record)
    return made


def _claim(fw, job: Job, now: dt.datetime, key: str, force: bool, actor: str) -> bool:
    """Record that this process runs *job* now — unless another runner claimed or ran it
    since this pass read the runs (re-read under the lock). *force* claims regardless."""
    with fw.store.transaction(JOBS, actor, "jobs.claim") as tx:
        last = tx.get(RUNS, key)
        if not force and not is_due(job, last, now):
            return False
        claim = {"id": key, "job": job.id, "project": key.rsplit(":", 1)[1],
                 "started": now.isoformat(timespec="seconds"), "ok": None, "error": None,
                 "seconds": None, "result": {}}
        if last is None:
            tx.insert(RUNS, claim)
        else:
            tx.update(RUNS, key, claim)
    return True


def _run(fw, job: Job, project: dict, now: dt.datetime, key: str) -> dict:
    began = time.monotonic()
    try:
        result, error = job.run(fw, project, now), None
    except Exception as exc:  # one failing job must not stop the others, nor the server's thread
        log.exception("job %s failed in project %s", job.id, project["slug"])
        result, error = None, f"{type(exc).__name__}: {exc}"[:500]
    counts = {str(k): v for k, v in result.items() if isinstance(v, (int, float, str, bool))} \
        if isinstance(result, dict) else {}
    return {"id": key, "job": job.id, "project": project["slug"],
            "started": now.isoformat(timespec="seconds"), "ok": error is None, "error": error,
            "seconds": round(time.monotonic() - began, 3), "result": counts}


class Runner:
    """The server's jobs: a daemon thread making a pass every *tick* seconds until stopped.

    Use it around the server (``with Runner(fw): uvicorn.run(...)``). A pass that fails as a
    whole (the store busy) is logged and the next one tries again.
    """

    def __init__(self, fw, tick: float = TICK):
        self.fw, self.tick = fw, tick
        self.passes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Runner:
        if self.fw.jobs:
            self._thread = threading.Thread(target=self._loop, name="floorwalker-jobs", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.tick)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                run_due(self.fw)
            except Exception:
                log.exception("a pass of the jobs failed; the next one tries again")
            self.passes += 1
            self._stop.wait(self.tick)
