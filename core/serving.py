"""The app as each worker of ``floorwalker serve --workers N`` builds it.

uvicorn starts N worker processes and each imports `app` (a factory) from here: it opens the
data folder named by ``$FLOORWALKER_DATA`` and builds the app with the options the command line
put in ``$FLOORWALKER_SERVE``. The workers share everything that must be shared through the
store — the sessions and their signing key, the sign-in throttle's counts, the data and the
caches' generations — so a request may land on any of them; the jobs run once, in the process
that supervises the workers (`core.jobs.Runner`), not in each worker.
"""

from __future__ import annotations

import os

import orjson

DATA = "FLOORWALKER_DATA"
OPTIONS = "FLOORWALKER_SERVE"


def environment(data, config: dict) -> dict[str, str]:
    """The variables a worker reads: the data folder and the app's options."""
    return {DATA: str(data), OPTIONS: orjson.dumps(config).decode()}


def app():
    """The Starlette app of one worker (uvicorn calls it with ``factory=True``)."""
    from .app import create_app
    from .floorwalker import open_floorwalker

    config = orjson.loads(os.environ.get(OPTIONS) or "{}")
    return create_app(open_floorwalker(os.environ[DATA]), config=config)
