"""Record COUNT score events through the command line, in this one process.

Usage: scores_cli.py ROOT PROJECT AGENT RULE DATE COUNT REASON_PREFIX

Each event is one `floorwalker scores record ...` run through the console script's own entry
point (`floorwalker.cli.main`), so it opens and checks the data folder and loads the plugins
as the command does; only the Python start-up is shared (500 processes would take minutes).
Prints "ready" once imported, waits for a line on stdin (so two writers start together), then
the command's own output (one "Recorded … event <id>." per event) and "done".
"""

import contextlib
import io
import sys

from floorwalker import cli

root, project, agent, rule, date, count, prefix = sys.argv[1:8]
with contextlib.redirect_stdout(io.StringIO()):  # the first command's imports, before the start:
    try:  # the other writer's commits take a fraction of a millisecond each, and would be
        cli.main(["--data", root, "--lang", "en", "scores", "record", "--help"])  # done first
    except SystemExit:
        pass
print("ready", flush=True)
sys.stdin.readline()
for n in range(int(count)):
    try:
        cli.main(["--data", root, "--lang", "en", "--as", "cli-writer", "scores", "record",
                  "--project", project, "--agent", agent, "--rule", rule, "--date", date,
                  "--reason", f"{prefix}-{n}"])
    except SystemExit as done:
        if done.code not in (0, None):
            raise
print("done", flush=True)
