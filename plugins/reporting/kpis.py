"""The KPIs of any span (a day, an ISO week, a month): the traffic figures computed here from the
imported traffic, every other plugin's figures through the platform's ``project_kpis`` hook, each
against the target of the contract version in force, with hit or miss and the penalty.

Choices where the issue is silent, and why:

* **A span is cut where a contract version takes effect** (`contracts.parts`): each part is
  measured on its own numbers against its own targets and formula, so a month with a change on
  the 16th has two figures per KPI. `series` and the dashboard's tiles, which need one number,
  add the parts up as ratios (numerators over denominators), never average the parts.
* **Other plugins are asked month by month** (their ``period`` is a month, and QA and complaints
  read that month's records only) and their figures of a span crossing months are added up as
  their declaration says (``sum``, ``ratio``: weighted by the denominator, ``mean``: weighted by
  n); a ``distinct`` count (agents short of QA samples) does not add up, so a span across months
  has none rather than the same agents counted twice. A month part not begun on the floor (after
  today) has no figures, whatever a plugin gives for it; a mean or rate over n 0 is none.
* **Units**: a figure's ``value`` and ``target`` are in the platform's convention — a rate a
  fraction (0.8), durations in seconds, money in yuan; a plugin KPI in ``%`` (it hands 80 for
  80 %) is divided by 100 here. The records this plugin gives the dashboard (`hook_kpis`) are in
  percent, as every plugin's tiles are.
* **No data is None**, never 0: a traffic field no row had, a rate whose denominator is 0, a
  plugin that gives nothing. A person may enter a value by hand for a KPI that has no data for
  exactly that span (`enter`): audited, labelled 手工录入, never over a computed one.
* **A day and queue's calls are counted once** (`traffic.counted`: its interval rows before its
  day or agent-day rows); the service level reads only rows whose threshold is the contract's
  (or not given).
* **Who sees what**: a client (and an agent) sees only figures declared ``client``, and no
  owner; the penalty is in the client's own contract, so it sees it. The parts of a whole (the
  agents by grade) and figures behind an action (pay) are no service figures: left out here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from floorwalker.core import KPI, N_, STAFF, KPIDef, ValidationError, formats, new_id, now_iso, translate, validate

from . import contracts, measures, traffic
from .config import NAME
from .measures import NONE, Measure, combine, ratio, service_level, total, traffic_measures  # noqa: F401

SECONDS_EN, SECONDS_ZH = " (seconds)", "（秒）"
TRAFFIC = [
    KPIDef("service_level", "Service level", "服务水平", "%", True, "ratio", "client"),
    KPIDef("answer_rate", "Answer rate", "接通率", "%", True, "ratio", "client"),
    KPIDef("aht_seconds", "Average handle time" + SECONDS_EN, "平均处理时长" + SECONDS_ZH, "", False, "ratio",
           "client"),
    KPIDef("acw_seconds", "After-call work" + SECONDS_EN, "平均话后处理时长" + SECONDS_ZH, "", False, "ratio",
           "client"),
    KPIDef("hold_seconds", "Average hold" + SECONDS_EN, "平均保持时长" + SECONDS_ZH, "", False, "ratio", "client"),
    KPIDef("satisfaction", "Satisfaction", "满意度", "%", True, "ratio", "client"),
    KPIDef("fcr", "First-contact resolution", "首次解决率", "%", True, "ratio", "client"),
    KPIDef("first_response_seconds", "Chat first response" + SECONDS_EN, "在线首次响应时长" + SECONDS_ZH, "",
           False, "ratio", "client"),
    KPIDef("conversion_rate", "Inquiry conversion", "询单转化率", "%", True, "ratio", "client"),
    KPIDef("average_order_value", "Average order value", "客单价", "¥", True, "ratio", "client"),
    # the contacts handled (calls answered, else chat sessions): the complaints plugin divides by it
    KPIDef("contacts", "Contacts handled", "接待量", "", True, "sum", "client"),
    # the seats (agents online) of an interval on average: chat reports count them beside the sessions
    KPIDef("seats", "Seats online (per interval, on average)", "在线坐席数（时段平均）", "", True, "ratio", "client"),
]
SECONDS = {"aht_seconds", "acw_seconds", "hold_seconds", "first_response_seconds"}  # shown as 秒 / s
TRAFFIC_CODES = [k.code for k in TRAFFIC]
MANUAL = "manual_kpis"
HAND = "hand"


@dataclass(frozen=True)
class Figure:
    """One KPI over one span (or one part of it, cut at a contract change), against its target.

    ``value`` None: no data. ``met`` None: no target or no data. ``penalty`` is what the miss
    costs (the contract's penalty when ``met`` is False, else None); ``stake`` the contract's
    penalty whatever the outcome. ``first``/``last`` are the part's days, ``version`` the
    contract version measured against. ``numerator``/``denominator`` let a report add parts up.
    ``missing_days`` the days left out for lacking a field the figure needs (``missing_fields``,
    traffic field names, comma-separated): a service level whose formula reads short abandons
    leaves out the days imported without them.
    """

    code: str
    title_en: str
    title_zh: str
    unit: str
    value: float | None
    target: float | None
    met: bool | None
    n: int | None
    automated: bool
    penalty: float | None
    owner: str | None
    source: str
    audience: str
    higher_is_better: bool = True
    first: str = ""
    last: str = ""
    version: str = ""
    numerator: float | None = None
    denominator: float | None = None
    stake: float | None = None
    note: str = ""
    missing_days: int = 0
    missing_fields: str = ""

    def title(self, locale: str) -> str:
        return self.title_zh if locale.startswith("zh") and self.title_zh else self.title_en


# ---------------------------------------------------------------- spans


def months_of(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The span cut at month ends."""
    found, start = [], first
    while start <= last:
        following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = min(last, following - dt.timedelta(days=1))
        found.append((start, end))
        start = end + dt.timedelta(days=1)
    return found


def span(grain: str, at: str) -> tuple[dt.date, dt.date]:
    """The days of a day (``YYYY-MM-DD``), an ISO week (``YYYY-Www``) or a month (``YYYY-MM``)."""
    at = str(at or "").strip()
    if grain == "day":
        day = dt.date.fromisoformat(validate.date(at))
        return day, day
    if grain == "week":
        try:
            year, week = at.upper().split("-W")
            monday = dt.date.fromisocalendar(int(year), int(week), 1)
        except (ValueError, TypeError):
            raise ValidationError(N_("week"), N_("expected YYYY-Www, got {value!r}"), value=at) from None
        return monday, monday + dt.timedelta(days=6)
    if grain == "month":
        first, last = validate.month_bounds(validate.month(at))
        return dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    raise ValidationError(N_("span"), N_("choose a day, a week or a month"))


def label(grain: str, day: dt.date) -> str:
    if grain == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()[:7] if grain == "month" else day.isoformat()


def buckets(first: dt.date, last: dt.date, grain: str) -> list[tuple[str, dt.date, dt.date]]:
    """(label, first, last) of each day, week or month from *first* to *last*, clipped to them."""
    found, day = [], first
    while day <= last:
        start, end = span(grain, label(grain, day))
        found.append((label(grain, day), max(start, first), min(end, last)))
        day = end + dt.timedelta(days=1)
    return found


# ---------------------------------------------------------------- measuring a part


def _traffic(fw, project: dict, first: dt.date, last: dt.date, version: dict | None) -> dict[str, Measure]:
    rows = traffic.rows(fw, project, first, last)
    if version is None:
        return traffic_measures(rows)
    return traffic_measures(rows, version["sl_formula"], version["sl_threshold_seconds"])


def _others(fw, project: dict, first: dt.date, last: dt.date, codes: set | None = None
            ) -> tuple[dict[str, list], dict[str, KPI]]:
    """Every other enabled plugin's figures of the span, month by month: code -> [(Measure)],
    and the last record given per code (its titles, unit and own target). With *codes*, only
    the plugins that declare one of them are asked. A month of the span that has not begun on
    the floor (its first day after today) has no figures, whatever a plugin gives for it (0 of
    nothing is no data); a mean or a rate over n 0 is none either."""
    today = fw.projects.today(project)
    wanted = None if codes is None else {fw.kpi_defs[c].plugin for c in codes if c in fw.kpi_defs}
    others = {**project, "plugins": [p for p in project["plugins"] if p != NAME and (wanted is None or p in wanted)]}
    measures: dict[str, list] = {}
    records: dict[str, KPI] = {}
    for start, end in months_of(first, last):
        hook = fw.project_hook(others, "project_kpis")
        for answer in hook(floorwalker=fw, project=project, period=start.isoformat()[:7], first=start, last=end):
            for kpi in answer or ():
                if not isinstance(kpi, KPI):
                    continue
                scale = 100 if kpi.unit == "%" else 1
                value = None if kpi.value is None else float(kpi.value) / scale
                declared = fw.kpi_defs.get(kpi.code)
                if start > today:
                    measure = NONE
                elif kpi.n == 0 and (declared is None or declared.aggregate != "sum"):
                    measure = Measure(None, 0)
                else:
                    measure = Measure(value, kpi.n, kpi.numerator, kpi.denominator)
                measures.setdefault(kpi.code, []).append(measure)
                records[kpi.code] = kpi
    return measures, records


def manual_entries(fw, project: dict) -> list[dict]:
    return sorted(fw.store.table(contracts.key(fw, project["slug"]), MANUAL).values(), key=lambda d: d["at"])


def _met(value, target, higher: bool) -> bool | None:
    if value is None or target is None:
        return None
    return value >= target - 1e-12 if higher else value <= target + 1e-12


def _part(fw, project: dict, first: dt.date, last: dt.date, version: dict | None,
          codes: set | None, manual: list[dict]) -> list[Figure]:
    traffic = _traffic(fw, project, first, last, version)
    wanted_others = codes is None or any(c not in TRAFFIC_CODES for c in codes)
    others, records = _others(fw, project, first, last, codes) if wanted_others else ({}, {})
    targets = (version or {}).get("targets") or {}
    hand = {d["code"]: d for d in manual if d["first"] == first.isoformat() and d["last"] == last.isoformat()}
    order = TRAFFIC_CODES + [c for c in others if c not in TRAFFIC_CODES] + \
        [c for c in list(targets) + list(hand) if c not in TRAFFIC_CODES and c not in others]
    found, seen = [], set()
    for code in order:
        if code in seen or (codes is not None and code not in codes):
            continue
        seen.add(code)
        declared = fw.kpi_defs.get(code)
        record = records.get(code)
        if (declared is None and record is None) or (declared is not None and (declared.group_en or declared.action)):
            continue  # the parts of a whole (agents by grade) and pay are not service figures
        measure = traffic[code] if code in traffic else combine(others.get(code, []), (
            declared.aggregate if declared else "mean"))
        if code in TRAFFIC_CODES and measure.value is None and not measure.missing and code not in targets \
                and code not in hand:
            continue  # a chat floor has no service level to show
        unit = declared.unit if declared else record.unit
        higher = declared.higher_is_better if declared else record.higher_is_better
        contract = targets.get(code) or {}
        target = contract.get("target")
        if target is None and record is not None and record.target is not None:
            target = float(record.target) / (100 if unit == "%" else 1)
        automated, note = True, ""
        if measure.value is None and code in hand:
            entry = hand[code]
            measure, automated, note = Measure(entry["value"], entry.get("n")), False, entry.get("note", "")
        met = _met(measure.value, target, higher)
        stake = contract.get("penalty")
        found.append(Figure(
            code=code, title_en=(declared or record).title_en, title_zh=(declared or record).title_zh, unit=unit,
            value=measure.value, target=target, met=met, n=measure.n, automated=automated,
            penalty=stake if met is False else None, owner=contract.get("owner"),
            source=(declared.plugin if declared else record.plugin) or NAME,
            audience=declared.audience if declared else "internal", higher_is_better=higher,
            first=first.isoformat(), last=last.isoformat(), version=(version or {}).get("id", ""),
            numerator=measure.numerator, denominator=measure.denominator, stake=stake, note=note,
            missing_days=measure.missing, missing_fields=measure.lacking))
    return found


def readable(fw, project: dict, found: list[Figure], user: dict | None) -> list[Figure]:
    """The figures *user* may read (None: the command line, everything): a client or agent
    login reads the ``client`` ones, without their owners; a figure behind an action, only its
    holders."""
    if user is None:
        return found
    staff = bool(set(user.get("roles") or ()) & set(STAFF))
    kept = []
    for f in found:
        declared = fw.kpi_defs.get(f.code)
        if fw.access.reads(user, project, f.audience, declared.action if declared else ""):
            kept.append(f if staff else replace(f, owner=None))
    return kept


def figures(fw, project: dict, first: dt.date, last: dt.date, user: dict | None = None,
            codes=None) -> list[Figure]:
    """Every KPI of *project* from *first* to *last* against target, part by part where a
    contract version takes effect inside the span, as *user* may read them (`readable`);
    *codes*, where given, limits what is computed."""
    if last < first:
        raise ValidationError(N_("last day"), N_("the last day is before the first"))
    codes = set(codes) if codes is not None else None
    manual = manual_entries(fw, project)
    found = []
    for start, end, version in contracts.parts(fw, project, first, last):
        found += _part(fw, project, start, end, version, codes, manual)
    return readable(fw, project, found, user)


def whole(found: list[Figure], code: str) -> Measure:
    """One number for *code* over every part of *found*."""
    parts = [Measure(f.value, f.n, f.numerator, f.denominator) for f in found if f.code == code]
    return combine(parts, "sum" if code == "contacts" else "ratio")


def series(fw, project: dict, first: dt.date, last: dt.date, grain: str, codes, user: dict | None = None
           ) -> dict[str, list[tuple[str, float | None]]]:
    """Each of *codes* per day, ISO week or month (*grain*) from *first* to *last*: (label,
    value or None), for the trend charts."""
    codes = list(codes)
    out: dict[str, list] = {code: [] for code in codes}
    for name, start, end in buckets(first, last, grain):
        found = figures(fw, project, start, end, user, codes)
        for code in codes:
            out[code].append((name, whole(found, code).value))
    return out


# ---------------------------------------------------------------- shown


def shown(value, unit: str, code: str, locale: str) -> str:
    """A figure or a target as the reader reads it: a rate as a percent (0.853 → 85.3%), seconds
    as 秒 / s, money in yuan; None is no data."""
    if value is None:
        return formats.measure(None, "", locale)
    if unit == "%":
        return formats.format_decimal(value * 100, format="#,##0.0", locale=locale) + "%"
    if unit == "¥":
        return formats.money(value, locale)
    text = formats.format_decimal(value, format="#,##0.#" if code in SECONDS else "#,##0.##", locale=locale)
    if code in SECONDS:
        return translate(N_("{n} s"), locale, n=text)
    return text + unit


def gap(f: Figure, locale: str) -> str:
    """What a figure left out, in the reader's words ("" where nothing): the days whose traffic
    lacks a field its formula reads (3 days without short abandons)."""
    if not f.missing_days:
        return ""
    names = [translate(measures.FIELD_NAMES.get(name, name), locale) for name in f.missing_fields.split(",") if name]
    return translate(N_("Days left out (their traffic has no {fields}): {days}"), locale, days=f.missing_days,
                     fields=("、" if locale.startswith("zh") else ", ").join(names))


# ---------------------------------------------------------------- entered by hand


def enter(fw, project: dict, code: str, first: dt.date, last: dt.date, typed, n, note: str, actor: str) -> dict:
    """A value typed for *code* over exactly *first*–*last* where nothing computes it (a
    percent for a rate), audited; refused where the span has a computed figure."""
    declared = fw.kpi_defs.get(code)
    if declared is None or declared.plugin not in project["plugins"]:
        raise ValidationError(N_("KPI"), N_("choose a KPI of this project"))
    value = validate.number(typed, N_("Value"))
    if value < 0 or (declared.unit == "%" and value > 100):
        raise ValidationError(N_("Value"), N_("enter a number from 0 to {high}"),
                              high=100 if declared.unit == "%" else "∞")
    count = None
    if str(n or "").strip():
        count = validate.number(n, N_("n"))
        if count < 0 or not float(count).is_integer():
            raise ValidationError(N_("n"), N_("a whole number, 0 or more"))
    computed = [f for f in figures(fw, project, first, last, None, {code}) if f.automated and f.value is not None]
    if computed:
        raise ValidationError(N_("KPI"), N_("this span has a computed figure: nothing is entered over it"))
    doc = {"id": new_id(), "code": code, "first": first.isoformat(), "last": last.isoformat(),
           "value": contracts.stored_of(declared.unit, value), "n": int(count) if count is not None else None,
           "note": validate.text(note, N_("Note"), contracts.NOTE_LIMIT, required=True),
           "by": actor, "at": now_iso(), "dated": first.isoformat()[:7]}
    if doc["dated"] in fw.store.closed_months(project["slug"]):
        raise ValidationError(N_("span"), N_("{month} is closed: nothing in it can change"), month=doc["dated"])
    with fw.store.transaction(contracts.key(fw, project["slug"]), actor, f"{NAME}.kpi.enter") as tx:
        for old in list(tx.docs(MANUAL).values()):
            if (old["code"], old["first"], old["last"]) == (code, doc["first"], doc["last"]):
                tx.remove(MANUAL, old["id"])
        return tx.insert(MANUAL, doc)


# ---------------------------------------------------------------- the dashboard's tiles


def hook_kpis(fw, project: dict, period: str, first: dt.date | None, last: dt.date | None) -> list[KPI]:
    """The traffic figures as the platform's `KPI` records for the dashboard, the home page and
    the complaints plugin's contacts: one per code over the whole span (parts added up), rates
    in percent, the target of the version in force on the last day — of the span up to today:
    a version that takes effect later in the month is not yet the month's (as the portal reads it)."""
    if first is None or last is None:
        first, last = (dt.date.fromisoformat(d) for d in validate.month_bounds(period))
    last = max(first, min(last, fw.projects.today(project)))
    parts = contracts.parts(fw, project, first, last)
    measured = [_traffic(fw, project, start, end, version) for start, end, version in parts]
    targets = (parts[-1][2] or {}).get("targets") or {}
    found = []
    for declared in TRAFFIC:
        m = combine([ms[declared.code] for ms in measured], declared.aggregate)
        if m.value is None:
            continue
        scale = 100 if declared.unit == "%" else 1
        target = (targets.get(declared.code) or {}).get("target")
        found.append(KPI(code=declared.code, title_en=declared.title_en, title_zh=declared.title_zh,
                         value=round(m.value * scale, 4), unit=declared.unit,
                         target=None if target is None else round(target * scale, 4),
                         higher_is_better=declared.higher_is_better, n=m.n, numerator=m.numerator,
                         denominator=m.denominator,
                         url=f"/p/{project['slug']}/{NAME}/kpis?grain=month&at={period}"))
    return found
