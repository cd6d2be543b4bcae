"""Generated files through every importer: no traceback, and every import all rows or none.

A seeded generator makes 2,400 files: CSVs shaped for each importer with junk cells, huge numbers,
dates such as 0001-01-01 and 9999-12-31 23:59, empty and repeated headings, in UTF-8, GB18030,
UTF-16 or no encoding at all; and workbooks whose sheet XML is written here (dates as serial
numbers and as text, shared strings out of range, formulas, odd cell and row references), a good
share of them then damaged (cut short, bytes flipped, a part replaced, dropped or given an XML
entity). Each file goes through every importer (the core's two and the plugins', as
``floorwalker import`` runs them) against one company whose row limit is 15. A refusal must be
a `FloorwalkerError` and leave the data folder as it was; an import that goes through must have
written every row of the file. The figures are printed (``pytest -s``).
"""

import datetime as dt
import io
import os
import random
import shutil
import time
import zipfile
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

from floorwalker.core.errors import FloorwalkerError
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.importing import import_agents, import_score_events, read_rows, row_limit
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.store import FileOps
from floorwalker.plugins.attendance import importers as roster_files, punches, roster

from ..pgcluster import store_for

SEED = 20_260_409
FILES = 2_400
LIMIT = 15
AGENTS = ("1001", "1002", "1003")


class NoSync(FileOps):
    def fsync(self, fd: int) -> None:
        pass

    def fsync_dir(self, folder) -> None:
        pass


def open_company(folder: Path) -> Floorwalker:
    """Project acme with the attendance plugin: team day (1001–1003, hired 2025-01-01), shift
    types D and N, and a row limit of LIMIT."""
    fw = Floorwalker(store_for(folder, fs=NoSync()), make_plugin_manager(builtins=["attendance"]))
    fw.projects.create("acme", "Acme", "setup", plugins=["attendance"])
    fw.teams.create("acme", "day", "Day", "setup")
    for number in AGENTS:
        fw.agents.add("acme", number, f"Agent {number}", "setup", team="day", hired="2025-01-01")
    roster.save_shift(fw, "acme", roster.shift_doc("D", "Day", "08:00", "17:00"), "setup")
    roster.save_shift(fw, "acme", roster.shift_doc("N", "Night", "22:00", "06:00"), "setup")
    fw.set_install("setup", import_row_limit=LIMIT)
    return fw


# ---------------------------------------------------------------- what each importer wrote


def documents(fw) -> Counter:
    """How many documents each table holds, over every data file."""
    counts = Counter()
    for key in fw.store.keys():
        for table, docs in fw.store.read(key).tables.items():
            counts[table] += len(docs)
    return counts


def check_agents(fw, header, rows, result, added) -> bool:
    return result == len(rows) and added["agents"] == added["assignments"] == len(rows)


def check_scores(fw, header, rows, result, added) -> bool:
    return result == len(rows) and added["events"] == len(rows)


def check_roster(fw, header, rows, result, added) -> bool:
    cells = roster_files.roster_cells(fw, "acme", header, rows)
    return result["cells"] == len(cells) and all(
        (roster.entry(fw, "acme", agent, day) or {}).get("shift") == shift for agent, day, shift in cells)


def check_punches(fw, header, rows, result, added) -> bool:
    docs = punches.check_rows(fw, "acme", rows, punches.columns(header))
    stored = {(p["agent"], p["at"]) for month in {d["date"][:7] for d in docs}
              for p in punches.punches(fw, "acme", month) if not p["void"]}
    return result["rows"] == len(rows) and result["added"] + result["already"] == len(rows) \
        and added["punches"] == result["added"] \
        and all((d["agent"], d["at"]) in stored for d in docs)


def importers(fw) -> dict:
    """name: (run(fw, path), check(fw, header, rows, result, documents added) -> every row written)."""
    checks = {"attendance.roster": check_roster, "attendance.punches": check_punches}
    found = {"agents": (lambda fw, path: import_agents(fw, "acme", path, "fuzz"), check_agents),
             "scores": (lambda fw, path: import_score_events(fw, "acme", path, "fuzz"), check_scores)}
    for group in fw.pm.hook.register_importers():
        for importer in group or ():
            kind = f"{importer.plugin}.{importer.code}"
            found[kind] = (lambda fw, path, run=importer.run:
                           run(fw, fw.projects.get("acme"), read_rows(path, limit=row_limit(fw))[1], "fuzz"),
                           checks[kind])
    return found


# ---------------------------------------------------------------- the generated files

GOOD = {
    "agent": lambda r: r.choice(AGENTS),
    "date": lambda r: f"2026-03-{r.randint(1, 31):02d}",
    "time": lambda r: f"2026-03-{r.randint(1, 31):02d} {r.randint(0, 23):02d}:{r.randint(0, 59):02d}",
    "clock": lambda r: f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}",
    "shift": lambda r: r.choice(("D", "N", "休", "rest", "")),
    "rule": lambda r: r.choice(("loud", "late_or_early", "covered_shift")),
    "points": lambda r: "",
    "reason": lambda r: r.choice(("x", "迟到12分钟", "late")),
    "name": lambda r: r.choice(("Li", "张伟", "Han Meimei")),
    "team": lambda r: r.choice(("day", "")),
    "hired": lambda r: f"2025-0{r.randint(1, 9)}-1{r.randint(0, 9)}",
    "tier": lambda r: r.choice(("", "regular", "senior", "高级客服")),
}
JUNK = ["", " ", "0001-01-01", "9999-12-31", "9999-12-31 23:59", "0001-01-01 00:10", "2026-02-30",
        "2026-13-01", "20260305", "2026/03/05 08:00", "2026-03-05T08:00", "99999-01-01", "-2026-01-01",
        "2026-03-05 25:00", "1e309", "9" * 400, "-0", "−4", "+5", "nan", "0x10", "3.0", "=1+1",
        "=cmd|' /C calc'!A0", "１００１", "10 01", "1001.0", "A" * 25, "x" * 3000, "\x00", "\ufeff",
        "ZZ", "adjustment", "leader_judgement", "no_such_rule", "休息", "—", "\"", "a,b", "line\nbreak",
        "\u202e", "🙂", "NULL", "None", "true", "1900-01-01", "2999-12-31 23:59", "1899-12-31"]
SHAPES = {
    "agents": [("number", "工号"), ("name", "姓名"), ("team", "班组"), ("hired", "入职日期"), ("tier", "职级")],
    "scores": [("agent", "工号"), ("rule", "规则"), ("date", "日期"), ("points", "分值"), ("reason", "原因")],
    "roster": [("agent", "工号"), ("date", "日期"), ("shift", "班次")],
    "grid": [("agent", "工号"), ("name", "姓名")] + [(f"2026-03-0{d}", f"2026-03-0{d}") for d in range(1, 8)],
    "punches": [("agent", "工号"), ("time", "打卡时间")],
    "clock": [("agent", "工号"), ("date", "日期"), ("clock", "时间")],
}


def table(r: random.Random, serial: Counter) -> list[list[str]]:
    """A header and rows shaped for one importer, with junk at a rate drawn for the file."""
    shape = r.choice(list(SHAPES))
    columns = [pair[r.random() < 0.3] for pair in SHAPES[shape]]
    if r.random() < 0.15:
        columns[r.randrange(len(columns))] = r.choice(("", columns[0], "Name ", r.choice(JUNK)))
    if r.random() < 0.05:
        del columns[r.randrange(len(columns))]
    junk = r.choice((0, 0, 0.02, 0.1, 0.4))
    rows = [columns]
    for _ in range(r.choice((0, 1, 2, 5, 10, 14, 15, 16, 40))):
        row = []
        for key, _ in SHAPES[shape][:len(columns)]:
            if r.random() < junk:
                row.append(r.choice(JUNK))
            elif key == "number":
                serial["agent"] += 1
                row.append(f"F{serial['agent']}")
            elif key.startswith("2026-"):
                row.append(GOOD["shift"](r))
            else:
                row.append(GOOD[key](r))
        rows.append(row)
    if r.random() < 0.1:
        rows.insert(r.randrange(1, len(rows) + 1), [""] * len(columns))
    return rows


def csv_bytes(r: random.Random, rows: list[list[str]]) -> bytes:
    sep, end = r.choice(((",", "\n"), (",", "\r\n"), (";", "\n"), ("\t", "\r"), (",", "\n")))
    quote = r.random() < 0.5
    text = end.join(sep.join(f'"{c.replace(chr(34), chr(34) * 2)}"' if quote or sep in c or "\n" in c
                             else c for c in row) for row in rows) + end * r.randint(0, 2)
    encoding = r.choice(("utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1", "junk"))
    if encoding == "junk":
        data = bytearray(text.encode())
        for _ in range(r.randint(1, 20)):
            if data:
                data[r.randrange(len(data))] = r.randrange(256)
        return bytes(data)
    return text.encode(encoding, errors="replace")


BASE_PARTS: dict[str, bytes] = {}


def base_parts() -> dict[str, bytes]:
    """The parts of a workbook made by openpyxl with a date style (s="1") and no shared strings
    (so a cell of type "s" points past them), whose sheet the generator writes anew for each file."""
    if not BASE_PARTS:
        book = Workbook()
        book.active.append(["x", dt.datetime(2026, 3, 5)])
        buffer = io.BytesIO()
        book.save(buffer)
        with zipfile.ZipFile(buffer) as archive:
            BASE_PARTS.update({name: archive.read(name) for name in archive.namelist()})
    return BASE_PARTS


def xlsx_cell(r: random.Random, text: str, column: int, row: int) -> str:
    ref = f"{chr(64 + column)}{row}" if column <= 26 else f"A{chr(64 + column - 26)}{row}"
    if r.random() < 0.03:
        ref = r.choice(("A0", "XFD1", "ZZZZ1", "1A", "", f"{ref}{ref}"))
    at = f' r="{ref}"' if ref else ""
    kind = r.random()
    if kind < 0.06:  # a number under a date style: a serial, in range or far out of it
        return f'<c{at} s="1"><v>{r.choice(("46086", "46086.5", "0", "60", "-1", "2958466", "1e20", "x"))}</v></c>'
    if kind < 0.09:
        return f'<c{at} t="d"><v>{r.choice(("2026-03-05T08:00:00", "0001-01-01T00:00:00", "2026-02-30", "x"))}</v></c>'
    if kind < 0.11:
        return f'<c{at} t="s"><v>{r.choice(("0", "1", "999", "-1", "x"))}</v></c>'
    if kind < 0.13:
        return f'<c{at} t="{r.choice("bne")}"><v>{r.choice(("1", "2", "x", "#DIV/0!", "1e400"))}</v></c>'
    if kind < 0.15:
        return f"<c{at}><f>1/0</f><v>{escape(text)}</v></c>"
    if text.isdigit() and len(text) < 12 and r.random() < 0.5:
        return f"<c{at}><v>{text}</v></c>"
    return f'<c{at} t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def xlsx_bytes(r: random.Random, rows: list[list[str]]) -> bytes:
    lines = []
    for number, row in enumerate(rows, start=1):
        ref = f' r="{number}"'
        if r.random() < 0.02:
            ref = r.choice(("", ' r="0"', ' r="-3"', ' r="1.5"', ' r="x"', ' r="99999999"'))
        cells = "".join(xlsx_cell(r, text, column, number) for column, text in enumerate(row, start=1))
        lines.append(f"<row{ref}>{cells}</row>")
    dimension = r.choice(("", "", '<dimension ref="A1:XFD1048576"/>', '<dimension ref="A1:B2"/>'))
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f"{dimension}<sheetData>{''.join(lines)}</sheetData></worksheet>").encode()
    parts = dict(base_parts(), **{"xl/worksheets/sheet1.xml": sheet})
    if r.random() < 0.35:
        damage(r, parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    data = buffer.getvalue()
    if r.random() < 0.05:
        data = data[:r.randrange(len(data))]
    elif r.random() < 0.05:
        flipped = bytearray(data)
        for _ in range(r.randint(1, 8)):
            flipped[r.randrange(len(flipped))] = r.randrange(256)
        data = bytes(flipped)
    return data


ENTITIES = (b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
            b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>')


def damage(r: random.Random, parts: dict[str, bytes]) -> None:
    name = r.choice(sorted(parts))
    how = r.randrange(4)
    if how == 0:
        parts[name] = parts[name][:r.randrange(len(parts[name]) + 1)]
    elif how == 1:
        del parts[name]
    elif how == 2:
        parts[name] = bytes(r.randrange(256) for _ in range(r.randint(0, 60)))
    else:
        content = parts[name].replace(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', b"")
        parts[name] = b'<?xml version="1.0"?>' + r.choice(ENTITIES) + content.replace(b">x<", b">&d;<", 1)


def generated(r: random.Random, folder: Path, serial: Counter, index: int) -> Path:
    rows = table(r, serial)
    if r.random() < 0.6:
        path = folder / f"f{index}.csv"
        path.write_bytes(csv_bytes(r, rows) if r.random() < 0.97 else bytes(r.randrange(256) for _ in range(200)))
    else:
        path = folder / f"f{index}.xlsx"
        path.write_bytes(xlsx_bytes(r, rows))
    return path


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every data file (lock files aside) as (inode, modified, size): the store replaces a file
    it writes, so equal means nothing was written."""
    found = {}
    for parent, _, names in os.walk(folder):
        for name in names:
            if not name.endswith(".lock"):
                st = os.stat(os.path.join(parent, name))
                found[os.path.join(parent, name)] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return found


# ---------------------------------------------------------------- the run


def test_generated_files_fail_cleanly_or_import_whole(tmp_path):
    data, inbox = tmp_path / "data", tmp_path / "inbox"
    inbox.mkdir()
    fw = open_company(data)
    runs = importers(fw)
    r, serial = random.Random(SEED), Counter()
    figures, tracebacks, partial = Counter(), [], []
    counts = documents(fw)  # changes only when an import goes through
    started = time.perf_counter()
    for index in range(FILES):
        path = generated(r, inbox, serial, index)
        figures["files"] += 1
        for kind, (run, written) in runs.items():
            before = snapshot(data)
            try:
                result = run(fw, path)
            except FloorwalkerError:
                figures["refused"] += 1
                if snapshot(data) != before:
                    partial.append((path.name, kind, "refused after writing"))
                continue
            except Exception as exc:  # the thing this test is here to find
                tracebacks.append((path.name, kind, repr(exc)[:200]))
                shutil.copy(path, tmp_path / f"traceback-{path.name}")
                continue
            figures["accepted"] += 1
            figures[f"accepted {kind}"] += 1
            header, rows = read_rows(path, limit=LIMIT)
            now = documents(fw)
            if not written(fw, header, rows, result, now - counts):
                partial.append((path.name, kind, "accepted but not every row written"))
            counts = now
        path.unlink()
    taken = ", ".join(f"{kind} {figures['accepted ' + kind]}" for kind in runs)
    print(f"\nimport fuzz: {figures['files']} files through {len(runs)} importers "
          f"({figures['files'] * len(runs)} imports) in {time.perf_counter() - started:.1f} s: "
          f"{figures['refused']} refused, {figures['accepted']} accepted ({taken}), "
          f"{len(tracebacks)} tracebacks, {len(partial)} partial writes")
    assert not tracebacks, tracebacks[:10]
    assert not partial, partial[:10]
    assert figures["files"] >= 2_000
    assert all(figures[f"accepted {kind}"] for kind in runs), figures  # each importer took some files
