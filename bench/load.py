"""The load run: the real server under 1, 5 and 20 clients, against the page budget.

    .venv/bin/python bench/load.py [--size full|small] [--keep DIR] [--workers N] [--seconds S]
                                   [--compare-workers] [--only TEXT] [--json FILE]
                                   [--store postgresql://…]

Builds the bench's company (`dataset.build`; with `--keep DIR` it builds into DIR when DIR is new
or empty and reuses the company already there otherwise; with `--store URL` in a database of its
own on that PostgreSQL server, `backends.py`, which `--keep` keeps and reuses too), adds a login
for each role, starts
``floorwalker serve --workers N`` (default 2) on a free localhost port with
``$FLOORWALKER_SERVER_TIMING`` set (every response then carries ``Server-Timing: app;dur=…``,
the time the app spent on it), signs the clients in and, page by page, keeps 1, 5 and 20 clients
asking for it (closed loop, one keep-alive connection each, `--seconds` per cell). Each cell is
the server-side p50 / p95 and the requests per second; p95 is held to the architecture's budget
(under 50 ms with one client, under 200 ms with 20) and a miss is marked.

Then the write under readers: one client records score events through the incentives form
(``POST /p/<p>/incentives/record`` with the form's CSRF token, 5 a second), first alone, then
while 20 clients read the dashboard, sheet, agent month, attendance report and incentives
sheet; the ratio of the write's p50 with readers to alone is held to 2 (issue 17).
`--compare-workers` adds the 20 readers' throughput with one worker beside N; `--only TEXT`
measures only the pages whose name holds TEXT (the write under readers always runs). bench/README.md
has the figures of record.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from argon2 import PasswordHasher

from floorwalker.core.floorwalker import open_floorwalker

import backends
import dataset

BUDGET = {1: 50.0, 20: 200.0}  # p95 server-side, ms, by clients (architecture: "Page budget")
WRITE_RATIO = 2.0  # a form write while 20 clients read, p50, against the same write alone
LEVELS = (1, 5, 20)
PASSWORD = "bench-password-7"
WRITES_PER_SECOND = 5
FLOORWALKER = Path(sys.executable).with_name("floorwalker")


@dataclass
class Cell:
    """One page at one number of clients: server-side times (ms) and the answers."""
    page: str
    clients: int
    seconds: float
    times: list[float] = field(default_factory=list)
    walls: list[float] = field(default_factory=list)
    errors: dict[int, int] = field(default_factory=dict)

    def figures(self) -> dict:
        times = sorted(self.times)
        return {"page": self.page, "clients": self.clients, "requests": len(times),
                "p50": percentile(times, 50), "p95": percentile(times, 95),
                "client_p50": percentile(sorted(self.walls), 50),
                "rps": len(times) / self.seconds if self.seconds else 0.0, "errors": self.errors,
                "budget": BUDGET.get(self.clients)}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


# ---------------------------------------------------------------- the company and its logins


def company_of(folder: Path, size: dataset.Size) -> dataset.Company:
    """Build the company into *folder* (or the bench's database) when it is new or empty; else
    read back what is there."""
    fresh = not folder.exists() or not any(folder.iterdir())
    if os.environ.get("FLOORWALKER_STORE"):  # the data is in the database, not the folder
        fw = open_floorwalker(folder)
        fresh = not fw.projects.all()
        fw.store.close()
    if fresh:
        folder.mkdir(parents=True, exist_ok=True)
        print(f"building the company in {folder}")
        started = time.perf_counter()
        company = dataset.build(str(folder), size, progress=lambda line: None)
        print(f"built in {time.perf_counter() - started:.1f} s")
        return company
    fw = open_floorwalker(folder)
    months = dataset.data_months(size.months)
    company = dataset.Company(folder=str(folder), size=size, projects=[], months=months)
    for project in fw.projects.all():
        slug = project["slug"]
        company.projects.append(slug)
        company.agents[slug] = sorted(a["number"] for a, _ in fw.agents.in_month(slug, months[-1]))
    fw.store.close()
    print(f"reusing the company in {folder}: {len(company.projects)} projects")
    return company


def add_logins(folder: Path, company: dataset.Company) -> dict[str, str]:
    """A login per role (made once; the password is the bench's): role -> username."""
    fw = open_floorwalker(folder)
    slug = company.projects[len(company.projects) // 2]
    number = company.agents[slug][7 % len(company.agents[slug])]
    team = fw.agents.assignments(number)[0]["team"]
    hashed = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    wanted = {"admin": ("bench.admin", ["admin"], ["*"], None, ()),
              "supervisor": (f"bench.sup.{slug}", ["supervisor"], [slug], None, ()),
              "team_leader": (f"bench.tl.{slug}", ["team_leader"], [slug], None, (f"{slug}.{team}",)),
              "qa": (f"bench.qa.{slug}", ["qa"], [slug], None, ()),
              "client": (f"bench.client.{slug}", ["client"], [slug], None, ()),
              "agent": (f"bench.agent.{slug}", ["agent"], [slug], number, ())}
    have = {u["username"] for u in fw.users.all()}
    new = [fw.users.prepare(name, hashed, roles, projects, name, "zh_CN", agent=agent, teams=teams)
           for name, roles, projects, agent, teams in wanted.values() if name not in have]
    if new:
        fw.users.add_many(new, "bench")
    fw.store.close()
    return {role: spec[0] for role, spec in wanted.items()}


def pages(company: dataset.Company) -> list[tuple[str, str, str]]:
    """(name, login role, url or list of urls) of the main pages of the core and the plugins."""
    slug = company.projects[len(company.projects) // 2]
    month = company.months[-1]  # the last full month, still open
    day = dataset.working_days(month)[10]
    agents = company.agents[slug][:50]
    p = f"/p/{slug}"
    return [("home (every project)", "admin", "/"),
            ("project dashboard", "supervisor", f"{p}/?month={month}"),
            ("score sheet", "supervisor", f"{p}/scores/{month}"),
            ("agent month (50 in turn)", "supervisor", [f"{p}/agents/{n}?month={month}" for n in agents]),
            ("agent's own home", "agent", "/"),
            ("team leader's home", "team_leader", "/"),
            ("attendance report", "supervisor", f"{p}/attendance/report?month={month}"),
            ("attendance punches of a day", "supervisor", f"{p}/attendance/punches?day={day}"),
            ("attendance floor (today)", "supervisor", f"{p}/attendance/"),
            ("incentives sheet", "supervisor", f"{p}/incentives/sheet?month={month}"),
            ("QA report", "qa", f"{p}/qa/report?month={month}"),
            ("complaints queue", "supervisor", f"{p}/complaints/"),
            ("meetings calendar", "supervisor", f"{p}/meetings/?month={month}"),
            ("reporting KPIs", "supervisor", f"{p}/reporting/kpis?month={month}"),
            ("reporting monthly report", "supervisor", f"{p}/reporting/reports/{month}"),
            ("client's portal", "client", f"{p}/reporting/")]


# ---------------------------------------------------------------- the server and its clients


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``floorwalker serve --workers N`` on a free port, stopped (by its own pid) on exit."""

    def __init__(self, folder: Path, workers: int):
        self.folder, self.workers, self.port = folder, workers, free_port()

    def __enter__(self) -> "Server":
        env = {**os.environ, "FLOORWALKER_SERVER_TIMING": "1"}
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [str(FLOORWALKER), "--data", str(self.folder), "serve", "--port", str(self.port),
             "--workers", str(self.workers)], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"the server stopped:\n{self.log.read().decode(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    pass
                Client(self.port).get("/login")
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not answer in 120 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Client:
    """One keep-alive connection with its cookies."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, url: str, form: dict | None = None
                ) -> tuple[int, float | None, float, bytes, dict]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            start = time.perf_counter()
            try:
                self.conn.request(method, url, body=body, headers=headers)
                answer = self.conn.getresponse()
                data = answer.read()
                break
            except (http.client.HTTPException, OSError):
                # the server closes a connection left idle past its keep-alive (between cells)
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        wall = (time.perf_counter() - start) * 1000
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        timing = re.search(r"dur=([\d.]+)", answer.getheader("server-timing") or "")
        return answer.status, float(timing.group(1)) if timing else None, wall, data, \
            {k.lower(): v for k, v in answer.getheaders()}

    def get(self, url: str):
        return self.request("GET", url)

    def csrf(self, url: str) -> str:
        status, _, _, data, _ = self.get(url)
        found = re.search(rb'name="csrf_token" value="([^"]+)"', data)
        if status != 200 or not found:
            raise RuntimeError(f"no form at {url} ({status})")
        return found.group(1).decode()

    def sign_in(self, username: str) -> "Client":
        status, *_ = self.request("POST", "/login", {"csrf_token": self.csrf("/login"),
                                                     "username": username, "password": PASSWORD})
        if status != 303:
            raise RuntimeError(f"{username} could not sign in ({status})")
        return self


def drive(clients: list[Client], urls_of, seconds: float, cell: Cell, stop: threading.Event | None = None
          ) -> None:
    """Each client asks for its next url until *seconds* pass (closed loop), in its own thread."""
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()

    def loop(n: int, client: Client):
        urls = urls_of(n)
        i = n
        while time.perf_counter() < deadline and not (stop and stop.is_set()):
            try:
                status, took, wall, _, _ = client.get(urls[i % len(urls)])
            except (http.client.HTTPException, OSError):
                status, took, wall = 0, None, 0.0  # counted as an error (status 0)
            i += 1
            with lock:
                if status == 200 and took is not None:
                    cell.times.append(took)
                    cell.walls.append(wall)
                else:
                    cell.errors[status] = cell.errors.get(status, 0) + 1

    threads = [threading.Thread(target=loop, args=(n, c)) for n, c in enumerate(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cell.seconds = time.perf_counter() - started


# ---------------------------------------------------------------- the runs


def page_cells(port: int, logins: dict[str, str], company, seconds: float, only: str = "") -> list[dict]:
    pool: dict[str, list[Client]] = {}

    def clients(role: str, count: int) -> list[Client]:
        have = pool.setdefault(role, [])
        while len(have) < count:
            have.append(Client(port).sign_in(logins[role]))
        return have[:count]

    found = []
    for name, role, urls in pages(company):
        if only not in name:
            continue
        urls = urls if isinstance(urls, list) else [urls]
        for client in clients(role, 1):
            client.get(urls[0])  # warm: templates compiled, files read, in one worker at least
        for level in LEVELS:
            cell = Cell(name, level, seconds)
            drive(clients(role, level), lambda n: urls, seconds, cell)
            found.append(cell.figures())
            print(f"  {name}, {level} client(s): p50 {found[-1]['p50']:.1f} ms, "
                  f"p95 {found[-1]['p95']:.1f} ms, {found[-1]['rps']:.1f} rps", flush=True)
    return found


READERS = ("project dashboard", "score sheet", "agent month (50 in turn)", "attendance report",
           "incentives sheet")


def readers_urls(company) -> list[str]:
    found = []
    for name, _, urls in pages(company):
        if name in READERS:
            found += urls[:10] if isinstance(urls, list) else [urls]
    return found


def write_under_readers(port: int, logins: dict[str, str], company, seconds: float) -> dict:
    """A score event recorded through the form alone, then while 20 clients read."""
    slug = company.projects[len(company.projects) // 2]
    month = company.months[-1]
    day = dataset.working_days(month)[3]
    writer = Client(port).sign_in(logins["supervisor"])
    form_url = f"/p/{slug}/incentives/record"
    agents = company.agents[slug]
    token = writer.csrf(form_url)
    seq = iter(range(10**9))

    def write(cell: Cell, until: float, stop: threading.Event | None = None):
        while time.perf_counter() < until and not (stop and stop.is_set()):
            start = time.perf_counter()
            n = next(seq)
            status, took, wall, _, _ = writer.request("POST", form_url, {
                "csrf_token": token, "agent": agents[n % len(agents)], "rule": "loud", "date": day,
                "points": "", "note": "bench load run"})
            if status == 303 and took is not None:
                cell.times.append(took)
                cell.walls.append(wall)
            else:
                cell.errors[status] = cell.errors.get(status, 0) + 1
            time.sleep(max(0.0, 1 / WRITES_PER_SECOND - (time.perf_counter() - start)))

    alone = Cell("form write alone", 1, seconds)
    write(alone, time.perf_counter() + seconds)
    urls = readers_urls(company)
    readers = [Client(port).sign_in(logins["supervisor"]) for _ in range(20)]
    for client in readers:
        client.get(urls[0])
    read_cell = Cell("20 readers while writing", 20, seconds)
    busy = Cell("form write with 20 readers", 1, seconds)
    thread = threading.Thread(target=drive, args=(readers, lambda n: urls, seconds, read_cell))
    thread.start()
    time.sleep(min(1.0, seconds / 10))  # the readers are under way
    write(busy, time.perf_counter() + seconds * 0.8)
    thread.join()
    a, b = alone.figures(), busy.figures()
    return {"alone": a, "with_readers": b, "readers": read_cell.figures(),
            "ratio_p50": b["p50"] / a["p50"] if a["p50"] else 0.0, "target": WRITE_RATIO}


def throughput(folder: Path, workers: int, logins, company, seconds: float) -> dict:
    """20 clients reading the ordinary pages in turn, with *workers* processes: requests/s."""
    with Server(folder, workers) as server:
        urls = readers_urls(company)
        clients = [Client(server.port).sign_in(logins["supervisor"]) for _ in range(20)]
        for client in clients:
            client.get(urls[0])
        cell = Cell(f"20 readers, {workers} worker(s)", 20, seconds)
        drive(clients, lambda n: urls, seconds, cell)
        return {"workers": workers, **cell.figures()}


# ---------------------------------------------------------------- the table


def table(cells: list[dict]) -> str:
    head = ["page", *(f"{n} client{'s' if n > 1 else ''}: p50 / p95 · rps" for n in LEVELS), ""]
    rows, by = [head], {}
    for c in cells:
        by.setdefault(c["page"], {})[c["clients"]] = c
    for page, levels in by.items():
        misses = []
        line = [page]
        for n in LEVELS:
            c = levels.get(n)
            if c is None:
                line.append("")
                continue
            mark = ""
            if c["budget"] is not None and c["p95"] >= c["budget"]:
                mark = " *"
                misses.append(f"p95 ≥ {c['budget']:.0f} ms at {n}")
            errors = f" ({sum(c['errors'].values())} errors)" if c["errors"] else ""
            line.append(f"{c['p50']:.1f} / {c['p95']:.1f}{mark} · {c['rps']:.1f}{errors}")
        line.append("MISSED: " + ", ".join(misses) if misses else "ok")
        rows.append(line)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    out = []
    for n, r in enumerate(rows):
        out.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if n == 0:
            out.append("-" * len(out[0]))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(dataset.SIZES), default="full")
    parser.add_argument("--keep", metavar="DIR", help="build the data here, or reuse the company in it")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, help="per cell (default 5; small: 0.5)")
    parser.add_argument("--compare-workers", action="store_true", help="also 20 readers with 1 worker")
    parser.add_argument("--only", metavar="TEXT", help="only the pages whose name holds TEXT")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--store", metavar="URL", help="a PostgreSQL server (postgresql://…) to "
                        "keep the company in, in a database of the bench's own")
    args = parser.parse_args(argv)
    if args.store and not args.store.startswith(("postgresql://", "postgres://")):
        parser.error("--store takes a postgresql:// URL")
    seconds = args.seconds or (0.5 if args.size == "small" else 5.0)
    if args.keep:
        folder = Path(args.keep).resolve()
        with backends.bench_store(args.store, folder, keep=True, reuse=True) as url:
            return run(folder, args, seconds, url)
    with tempfile.TemporaryDirectory(prefix="floorwalker-load-") as tmp:
        folder = Path(tmp) / "data"
        with backends.bench_store(args.store, folder, keep=False) as url:
            return run(folder, args, seconds, url)


def run(folder: Path, args, seconds: float, url: str | None = None) -> int:
    backends.describe(url)  # refuses a server whose commits are not durable, before building
    company = company_of(folder, dataset.SIZES[args.size])
    logins = add_logins(folder, company)
    store = backends.describe(url)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with Server(folder, args.workers) as server:
        print(f"serving with {args.workers} worker(s) on port {server.port}; {seconds:g} s per cell")
        cells = page_cells(server.port, logins, company, seconds, args.only or "")
        write = write_under_readers(server.port, logins, company, seconds * 2)
    compare = [throughput(folder, n, logins, company, seconds * 2)
               for n in sorted({1, args.workers})] if args.compare_workers else []
    load = f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, {os.cpu_count()} cores"
    print()
    print(table(cells))
    a, b = write["alone"], write["with_readers"]
    print(f"\nform write (record a score event), server p50 / p95: alone {a['p50']:.1f} / {a['p95']:.1f} ms "
          f"({a['requests']}), with 20 readers {b['p50']:.1f} / {b['p95']:.1f} ms ({b['requests']}): "
          f"{write['ratio_p50']:.2f}x (target ≤ {WRITE_RATIO:g}x) "
          f"{'ok' if write['ratio_p50'] <= WRITE_RATIO else 'MISSED'}; "
          f"readers {write['readers']['rps']:.1f} rps, p95 {write['readers']['p95']:.1f} ms")
    for c in compare:
        print(f"20 readers with {c['workers']} worker(s): {c['rps']:.1f} rps, p50 {c['p50']:.1f} ms, "
              f"p95 {c['p95']:.1f} ms")
    print(f"\n{load}; {time.perf_counter() - started:.0f} s\nstore: {backends.label(store)}")
    if args.json:
        Path(args.json).write_bytes(orjson.dumps(
            {"size": args.size, "workers": args.workers, "seconds": seconds, "machine": load,
             "store": store, "load_before": load_before, "load_after": os.getloadavg()[0],
             "cells": cells, "write": write, "workers_compared": compare}, option=orjson.OPT_INDENT_2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
