"""The installed package carries every plugin's templates, static files and translations.

A fresh virtual environment gets ``pip install .`` (not editable) of a copy of the source tree;
the copy leaves the tests, examples and docs behind, so nothing can be read from the checkout.
The environment borrows this one's packages through a ``.pth`` file (Floorwalker's dependencies
and pip: nothing is downloaded but what building the wheel needs, from pip's configured index).
Then the installed ``floorwalker`` command builds the demo and checks its folder, and a page of
a plugin is served from the installed package, in Chinese from the plugin's own catalog. About
9 s on two cores: under the 20 s that would make it ``slow``.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the checkout's folders that are not the package (at its root only: plugins/*/data is package data)
LEFT_BEHIND = {".venv", ".git", "tests", "examples", "docs", "bench", "scripts", "data", "build",
               "test-artifacts", ".pytest_cache"}
# what setuptools must carry beside the code (pyproject's package-data)
DATA_FOLDERS = ("themes", "locale", "plugins/*/templates", "plugins/*/static", "plugins/*/data",
                "plugins/*/locale")

SERVE_A_PLUGIN_PAGE = textwrap.dedent("""
    import json, re, sys
    from pathlib import Path
    from starlette.testclient import TestClient
    import floorwalker
    from floorwalker.core.app import create_app
    from floorwalker.core.floorwalker import open_floorwalker

    data = Path(sys.argv[1])
    print(floorwalker.__file__)
    admin = next(a for a in json.loads((data / "demo-accounts.json").read_text())
                 if a["role"] == "admin")
    client = TestClient(create_app(open_floorwalker(data)), follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    signed = client.post("/login", data={"csrf_token": token, "username": admin["username"],
                                         "password": admin["password"]})
    assert signed.status_code == 303, signed.text
    floor = client.get("/p/shop/attendance/")
    assert floor.status_code == 200, floor.text
    print(floor.template.filename)
    assert "今日现场" in floor.text  # "Today's floor", from the plugin's own catalog
    for url in ("/static/plugins/attendance/attendance.css", "/static/style.css"):
        assert client.get(url).status_code == 200, url
    print("served")
""")


def data_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for pattern in DATA_FOLDERS for folder in root.glob(pattern)
            for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_a_plain_install_serves_the_demo_with_every_plugins_files(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=lambda folder, names: [
        n for n in names if (Path(folder) == ROOT and n in LEFT_BEHIND) or n == "__pycache__"
        or n.endswith(".egg-info")])
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python, command = venv / "bin" / "python", venv / "bin" / "floorwalker"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLOORWALKER_", "PYTHON"))}
    installed = subprocess.run([python, "-m", "pip", "install", "--no-deps", "--ignore-installed",
                                "--disable-pip-version-check", "-q", str(source)],
                               capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    package = site / "floorwalker"
    assert sorted(data_files(ROOT) - data_files(package)) == []

    data = tmp_path / "company"
    run = dict(capture_output=True, text=True, env={**env, "FLOORWALKER_LANG": "en"}, cwd=tmp_path,
               timeout=600)
    demo = subprocess.run([command, "--data", str(data), "demo", "--no-serve", "--seed", "3"], **run)
    assert demo.returncode == 0, demo.stderr
    assert "Demo logins" in demo.stdout
    checked = subprocess.run([command, "--data", str(data), "check"], **run)
    assert checked.returncode == 0 and "all sound" in checked.stdout, checked.stderr
    served = subprocess.run([python, "-c", SERVE_A_PLUGIN_PAGE, str(data)], **run)
    assert served.returncode == 0, served.stderr
    module, template, done = served.stdout.split()
    assert Path(module).is_relative_to(package) and Path(template).is_relative_to(package)
    assert done == "served"
