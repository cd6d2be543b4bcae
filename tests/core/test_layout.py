"""The package layout: one installed name, plugins that import only the core's API, and imports
that do no work."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# (folder, the package name it is imported as): built-in plugins, then the examples' packages
PLUGIN_PACKAGES = [(p.parent, f"floorwalker.plugins.{p.parent.name}")
                   for p in sorted((ROOT / "plugins").glob("*/__init__.py"))] + \
                  [(p.parent, p.parent.name) for p in sorted((ROOT / "examples").glob("*/*/__init__.py"))]


def run(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True)


def test_core_is_importable_only_under_the_package_name(tmp_path):
    assert run("import core", tmp_path).returncode != 0
    assert run("import cli", tmp_path).returncode != 0
    result = run("import floorwalker.core, floorwalker.core.store", tmp_path)
    assert result.returncode == 0, result.stderr


def test_importing_the_cli_and_the_core_creates_no_files(tmp_path):
    modules = sorted(".".join(("floorwalker", *p.relative_to(ROOT).with_suffix("").parts))
                     for p in (ROOT / "core").rglob("*.py") if p.stem != "__init__")
    code = "import importlib\n" + "".join(
        f"importlib.import_module({m!r})\n" for m in ["floorwalker.cli", *modules])
    result = run(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == []


def imported_modules(path: Path, package: str):
    """(line, absolute module name) of every import in *path*, whose package is *package*."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if not node.level:
                yield node.lineno, node.module
                continue
            base = package.split(".")
            base = ".".join(base[:len(base) - node.level + 1])
            if node.module:
                yield node.lineno, f"{base}.{node.module}"
            else:  # "from .. import qa" imports the module qa
                for alias in node.names:
                    yield node.lineno, f"{base}.{alias.name}"


def offending_imports(folder: Path, own_package: str) -> list[str]:
    """Imports of Floorwalker code other than `floorwalker.core` (the store's internals, another
    plugin, the CLI), as ``file:line module``; the plugin's own modules are fine."""
    bad = []
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(folder).with_suffix("")
        package = ".".join((own_package, *rel.parts[:-1]))
        for line, module in imported_modules(path, package):
            if module == own_package or module.startswith(own_package + "."):
                continue
            if module.split(".")[0] == "floorwalker" and module != "floorwalker.core":
                bad.append(f"{rel.as_posix()}.py:{line} {module}")
    return bad


@pytest.mark.parametrize("folder, package", PLUGIN_PACKAGES, ids=lambda v: getattr(v, "name", ""))
def test_a_plugin_imports_only_floorwalker_core(folder, package):
    assert offending_imports(folder, package) == []


def test_the_import_walk_catches_a_plugin_reaching_past_the_core(tmp_path):
    plugin = tmp_path / "greedy"
    (plugin / "sub").mkdir(parents=True)
    (plugin / "__init__.py").write_text("from floorwalker.core import hookimpl\n"
                                        "from . import views\nfrom .sub import deep\n")
    (plugin / "views.py").write_text("from floorwalker.core.store import Store\n"
                                     "from ..attendance import rules\nimport floorwalker.cli\n")
    (plugin / "sub" / "__init__.py").write_text("")
    (plugin / "sub" / "deep.py").write_text("from .. import views\nfrom ... import qa\n")
    assert offending_imports(plugin, "floorwalker.plugins.greedy") == [
        "sub/deep.py:2 floorwalker.plugins.qa",
        "views.py:1 floorwalker.core.store",
        "views.py:2 floorwalker.plugins.attendance",
        "views.py:3 floorwalker.cli",
    ]


def test_every_package_folder_is_listed_for_installation():
    """pyproject.toml lists packages explicitly (the root is the package): a folder left out
    works in the editable install of a developer and is missing from `pip install .`."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    skip = {"tests", "examples", "build", "bench", "data", "docs", "scripts"}
    found = {".".join(("floorwalker", *p.parent.relative_to(ROOT).parts))
             for p in ROOT.rglob("__init__.py")
             if not (set(p.relative_to(ROOT).parts) & skip
                     or any(part.startswith(".") or part.endswith(".egg-info")
                            for part in p.relative_to(ROOT).parts))}
    assert sorted(found - listed) == []
