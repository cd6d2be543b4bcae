"""``floorwalker init``, ``demo``, ``serve``, ``plugins``, ``check``, ``backup`` and ``restore``:
the install and its data folder.

``check``, ``backup``, ``restore`` and ``plugins deny`` still run when an allowlisted plugin
cannot load (the way out its error names); ``check`` and ``restore`` do not open the folder
as a `Floorwalker`, so they work on a damaged one.
"""

from __future__ import annotations

import ipaddress
import os
from contextlib import contextmanager
from pathlib import Path

import click
import orjson

from .. import serving
from ..backup import backup as take_backup
from ..backup import restore_store
from ..errors import Conflict, FloorwalkerError, ValidationError
from ..floorwalker import read_allowlist
from ..i18n import N_, gettext
from ..jobs import Runner
from ..moving import shown_url
from ..plugins import available_entry_points
from ..store import loose_files, open_private
from . import Session, format_option, when_alone

DEMO_ACCOUNTS = "demo-accounts"  # a plain export beside the data (core.store.EXPORTS)


@contextmanager
def _part(module: str, message: str):
    """Import a part a slimmer install may lack (the demo, the web stack) inside this block: its
    absence is one line *message*, not a traceback; any other ImportError is a bug and shows."""
    try:
        yield
    except ImportError as exc:
        if exc.name != module:
            raise
        raise FloorwalkerError(message) from None


@click.command()
@click.option("--admin", required=True, metavar="NAME", help="Username of the first admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def init(s: Session, admin, password_stdin):
    """Start a data folder with its first admin."""
    if s.fw.users.all():
        raise Conflict(N_("the data folder {folder} already has users; nothing was changed"),
                       folder=str(s.data))
    password = s.password(password_stdin)
    doc = s.fw.users.add(admin, password, ["admin"], s.actor, projects=["*"], locale=s.locale)
    s.say(N_("Data folder {folder} is ready; admin {username} can sign in."),
          folder=str(s.data), username=doc["username"])


@click.command()
@click.option("--seed", default=7, show_default=True, type=int, help="Same seed, same company.")
@click.option("--no-serve", is_flag=True, help="Build the demo, then stop.")
@click.option("--force", is_flag=True, help="Delete the folder's data files first.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.pass_obj
def demo(s: Session, seed, no_serve, force, host, port):
    """Build a demo company with generated logins, then serve it."""
    with _part("floorwalker.demo", N_("the demo is not available in this version "
                                      "(floorwalker.demo is missing)")):
        from ...demo import STEPS, build_demo
    store = s.store()
    if store.keys() and not force:
        raise Conflict(N_("the data folder {folder} is not empty; use --force to replace its data"),
                       folder=str(s.data))
    if force:
        if hasattr(store, "wipe"):
            store.wipe()
        else:
            _wipe_data_files(s.data)
    store.close()
    s.say(N_("Building the demo company (seed {seed}) in {folder} …"), seed=seed, folder=str(s.data))
    with s.steps(STEPS) as step:
        accounts = build_demo(s.fw, seed=seed, actor="demo", progress=step)
    accounts_file = s.data / f"{DEMO_ACCOUNTS}.json"
    with open_private(accounts_file) as fh:  # passwords: readable by the owner only
        fh.write(orjson.dumps(accounts, option=orjson.OPT_INDENT_2))
    s.say(N_("Demo logins (also in {path}):"), path=str(accounts_file))
    s.show(accounts, [("username", N_("username")), ("password", N_("password")),
                      ("role", N_("role")), ("project", N_("project"))], "table")
    if not no_serve:
        _serve(s, host, port)


def _wipe_data_files(folder: Path) -> None:
    """Delete the data files (and their .prev and .lock) inside *folder*, nothing else."""
    root = folder.resolve()
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.resolve().is_relative_to(root) \
                and (path.name.endswith(".json") or ".json." in path.name):
            path.unlink()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--behind-https", is_flag=True,
              help="TLS ends at a proxy in front: mark cookies Secure and send HSTS.")
@click.option("--trusted-proxy", "trusted_proxies", multiple=True, metavar="ADDR",
              help="A proxy whose X-Forwarded-For is believed (repeatable; none by default).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes serving the same data (default: one per core).")
@click.pass_obj
def serve(s: Session, host, port, behind_https, trusted_proxies, workers):
    """Serve the web interface (one worker process per core)."""
    _serve(s, host, port, behind_https, trusted_proxies, workers)


def _serve(s: Session, host: str, port: int, behind_https: bool = False,
           trusted_proxies: tuple[str, ...] = (), workers: int | None = None) -> None:
    """Run the app in uvicorn. The server speaks plain HTTP and never redirects: with
    *behind_https* a proxy in front ends TLS, so cookies are marked Secure and HSTS is sent.
    With more than one worker each is its own process building the app (`core.serving`);
    the store keeps them consistent, and the jobs run here, once."""
    with _part("floorwalker.core.app", N_("the web interface is not available in this version "
                                          "(floorwalker.core.app is missing)")):
        from ..app import create_app
    import uvicorn

    config = {"secure_cookie": behind_https, "hsts": behind_https,
              "trusted_proxies": list(trusted_proxies)}
    workers = workers or os.cpu_count() or 1
    app = create_app(s.fw, config=config)  # built here too: a broken install fails before serving
    if not behind_https and not _loopback(host):
        s.warn(N_("{host} can be reached from the network: put Floorwalker behind an HTTPS "
                    "proxy and start it with --behind-https"), host=host)
    s.say(N_("Serving {folder} on http://{host}:{port}/ (Ctrl+C stops)"),
          folder=str(s.data), host=host, port=port)
    # uvicorn believes X-Forwarded-For from 127.0.0.1 by default; off, so that the app alone
    # decides whom to believe (--trusted-proxy); the plugins' jobs run beside it in a thread
    with Runner(s.fw):
        if workers == 1:
            uvicorn.run(app, host=host, port=port, workers=1, proxy_headers=False)
        else:
            os.environ.update(serving.environment(s.data, config))
            uvicorn.run(f"{serving.__name__}:app", factory=True, host=host, port=port,
                        workers=workers, proxy_headers=False)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may well resolve to a network address


@click.group(invoke_without_command=True)
@format_option
@when_alone
def plugins(s: Session, fmt):
    """List installed plugins; allow or deny third-party ones."""
    fw = s.fw
    loaded = fw.plugin_names()
    allowed = read_allowlist(fw.store)
    projects = fw.projects.all()
    rows = []
    for name in sorted(set(loaded) | set(available_entry_points()) | set(allowed)):
        builtin = name in loaded and name not in allowed
        rows.append({"name": name,
                     "source": gettext(N_("built-in") if builtin else N_("entry point"), s.locale),
                     "loaded": name in loaded, "allowed": builtin or name in allowed,
                     "projects": [p["slug"] for p in projects if name in p["plugins"]]})
    s.show(rows, [("name", N_("plugin")), ("source", N_("source")), ("loaded", N_("loaded")),
                  ("allowed", N_("allowed")), ("projects", N_("enabled in"))], fmt)


@plugins.command("allow")
@click.argument("name")
@click.pass_obj
def plugins_allow(s: Session, name):
    """Allow an installed third-party plugin (entry point) to load."""
    if name not in available_entry_points():
        raise ValidationError(N_("plugin"), N_("no installed package offers a plugin {name!r}"),
                              name=name)
    allowed = read_allowlist(s.fw.store)
    if name not in allowed:
        s.fw.set_install(s.actor, plugins_allowlist=allowed + [name])
    s.say(N_("Plugin {name} is allowed; it loads from the next start."), name=name)


@plugins.command("deny")
@click.argument("name")
@click.pass_obj
def plugins_deny(s: Session, name):
    """Stop a third-party plugin from loading."""
    allowed = read_allowlist(s.fw.store)
    if name not in allowed:
        raise ValidationError(N_("plugin"), N_("{name} is not on the allowlist"), name=name)
    s.fw.set_install(s.actor, plugins_allowlist=[n for n in allowed if n != name])
    s.say(N_("Plugin {name} is denied; it no longer loads from the next start."), name=name)


@click.command()
@click.option("--full", is_flag=True,
              help="Parse closed months' files too (otherwise checked by their recorded digest).")
@format_option
@click.pass_obj
def check(s: Session, full, fmt):
    """Check every data file (and delete left-over temp files); warn of files others can read."""
    store = s.store()
    report = store.check(full=full)
    s.show(report, [("file", N_("file")), ("generation", N_("generation")),
                    ("bytes", N_("bytes")), ("documents", N_("documents"))], fmt)
    if fmt == "table":
        s.say(N_("{count} data files checked: all sound."), count=len(report))
    for row in report:  # a commit cut short by a crash: never acknowledged, ignored
        if row.get("torn"):
            s.warn(N_("{path}: the last {bytes} bytes of its journal are a write cut short and "
                      "are ignored; the next change of the file removes them"),
                   path=str(store.path(row["file"])) + ".journal", bytes=row["torn"])
    for path, mode in loose_files(s.data):  # a warning: the data itself is sound
        s.warn(N_("{path} has mode {mode}; only its owner should read it: chmod 600 {path}"),
              path=str(path), mode=f"{mode:04o}")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_obj
def backup(s: Session, file):
    """Write a consistent zip of the whole data folder."""
    manifest = take_backup(s.fw.store, file)
    s.say(N_("Backed up {count} files of {folder} to {file}."), count=len(manifest["files"]),
          folder=_place(s.fw.store), file=file)


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.pass_obj
def restore(s: Session, file):
    """Replace the data folder by a backup (the old folder is kept beside it), or the data of
    the PostgreSQL database (``--store``) in one transaction."""
    store = s.store()
    try:
        result = restore_store(store, file)
    finally:
        store.close()
    s.say(N_("Restored {count} files into {folder}."), count=result["files"], folder=_place(store))
    if result["previous"]:
        s.say(N_("The previous data folder was kept as {path}."), path=result["previous"])


def _place(store) -> str:
    """Where *store* keeps the data: its folder, or its database and schema."""
    url = getattr(store, "url", None)
    return f"{shown_url(url)} ({store.schema})" if url else str(store.root)


COMMANDS = (init, demo, serve, plugins, check, backup, restore)
