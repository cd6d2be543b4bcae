"""The example plugin's own tests pass, run the way its author runs them: ``pytest`` in its folder.

They run in a process of their own. They import the plugin and register it, which must not leak
into this suite: tests/core/test_plugins.py checks that a plugin installed but not allowlisted is
never imported. Its folder's pyproject.toml carries their pytest settings.
"""

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "floorwalker-example-plugin"


def test_the_example_plugins_own_tests_pass():
    result = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=EXAMPLE,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-4000:]
    assert " passed" in result.stdout.splitlines()[-1]
