"""Commit documents to one file, one commit each, and acknowledge each id on stdout.

Usage: writer.py ROOT KEY PREFIX COUNT [PAD]   (COUNT 0: until killed)

Prints "ready" once imported and waits for a line on stdin, so the kill test can start the
next writer while it checks the last one. An id is printed (and flushed) only after its
transaction has returned, so every printed id is a write the store acknowledged. The kill
test SIGKILLs this process at a random moment.
"""

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the tests' own modules
from tests.pgcluster import worker_store  # noqa: E402

root, key, prefix, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
pad = "x" * int(sys.argv[5]) if len(sys.argv) > 5 else ""
store = worker_store(root)  # the test session's backend (tests/pgcluster.py)
print("ready", flush=True)
sys.stdin.readline()
for n in itertools.count() if count == 0 else range(count):
    doc_id = f"{prefix}-{n}"
    with store.transaction(key, "writer", "worker.write") as tx:
        tx.insert("docs", {"id": doc_id, "n": n, "pad": pad})
    print(doc_id, flush=True)
