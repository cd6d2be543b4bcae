"""Record COUNT score events through the API (`fw.ledger.record`), one commit each.

Usage: scores_api.py ROOT PROJECT AGENT RULE DATE COUNT REASON_PREFIX

Prints "ready" once imported and opened, waits for a line on stdin (so two writers start
together), then records and prints "done".
"""

import sys

from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.store import Store

root, project, agent, rule, date, count, prefix = sys.argv[1:8]
fw = Floorwalker(Store(root), make_plugin_manager(builtins=()))
print("ready", flush=True)
sys.stdin.readline()
for n in range(int(count)):
    fw.ledger.record(project, agent, rule, date, "api-writer", reason=f"{prefix}-{n}")
print("done", flush=True)
