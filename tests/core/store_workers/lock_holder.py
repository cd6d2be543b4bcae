"""Hold the lock of one data file until stdin closes: another process in mid-commit.

Usage: lock_holder.py PATH_OF_DATA_FILE   (prints "locked" once it holds the lock)
"""

import sys

from filelock import FileLock

lock = FileLock(sys.argv[1] + ".lock")
with lock:
    print("locked", flush=True)
    sys.stdin.read()
