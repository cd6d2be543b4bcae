"""The client's contract, versioned: each version applies from its effective day until the next
one, and carries the KPI targets (pass lines, 及格线) with a penalty and an owner each, and the
service-level formula with its threshold. Besides the contract, the project's own short-, mid-
and long-term targets and workload targets (`goals`).

Choices where the issue is silent, and why:

* **Units** are the platform's one convention: a rate is stored as a fraction (0.8) and typed and
  shown as a percent (80); durations in seconds; money in yuan. A plugin KPI whose unit is ``%``
  hands its figure in percent (the dashboard's tiles show it as it is), so `kpis` divides it by
  100 before it meets a contract target.
* **The first version is seeded** from the project's ``kpi_targets`` (core/projects.py) in force
  from the start (`SEED_DAY`): nothing already configured is lost. It is stored, unchanged, the
  first time a version is saved. From then on the contract is the one source of targets for
  reporting, and through this plugin's `project_kpis` for the dashboard's and home page's traffic
  tiles too; ``kpi_targets`` is read only to seed.
* **A version is never edited in place**: a change is a new version from a day; a version saved
  on the effective day of another replaces it. A version (new or replaced) whose effective day
  lies in a closed month is refused: the closed month's report was measured against what was
  in force then. Every save is one audited store transaction.
* **Who reads what**: supervisors, directors and admins edit; the other staff read everything.
  A client reads the targets of the figures meant for it (``audience="client"``) and their
  penalties — they are in the client's own contract — but never a KPI's owner or the project's
  own goals, which are the BPO's internal business.
"""

from __future__ import annotations

import datetime as dt
import re

from floorwalker.core import N_, STAFF, ValidationError, now_iso, validate

from .config import NAME

TABLE = "contracts"
GOALS = "goals"
SEED_DAY = "2000-01-01"  # the seeded version applies "from the start"
SEED_ID = "seed"
_ID = re.compile(r"^V(\d+)$")

# The five service-level formulas: code -> (English, Chinese) formula text, shown on the contract
# page beside the choice.
SL_FORMULAS = {
    "offered": ("SL = answered within T ÷ offered",
                "服务水平 = T秒内接通量 ÷ 呼入量"),
    "offered_minus_abandoned": ("SL = answered within T ÷ (offered − abandoned)",
                                "服务水平 = T秒内接通量 ÷（呼入量 − 放弃量）"),
    "offered_minus_short": ("SL = answered within T ÷ (offered − short abandons)",
                            "服务水平 = T秒内接通量 ÷（呼入量 − 短时放弃量）"),
    "with_abandoned_in_t": ("SL = (answered within T + abandoned within T) ÷ offered",
                            "服务水平 =（T秒内接通量 + T秒内放弃量）÷ 呼入量"),
    "answered_plus_late_abandoned": ("SL = answered within T ÷ (answered + abandoned after T)",
                                     "服务水平 = T秒内接通量 ÷（接通量 + T秒后放弃量）"),
}
SL_NOTES = {
    "offered": ("Every abandoned call counts against the service level (the strictest).",
                "所有放弃来电都计入分母（最严格）。"),
    "offered_minus_abandoned": ("Abandoned calls are left out altogether.", "放弃来电全部不计。"),
    "offered_minus_short": ("Callers who hung up within the short-abandon threshold are left out.",
                            "短时放弃（在短时放弃阈值内挂机）的来电不计。"),
    "with_abandoned_in_t": ("A call abandoned within T counts as served in time.",
                            "T秒内放弃的来电视为及时服务。"),
    "answered_plus_late_abandoned": ("Calls abandoned within T are left out; those abandoned after T count "
                                     "against it.", "T秒内放弃的来电不计，T秒后放弃的计入分母。"),
}
DEFAULT_FORMULA = "offered"
DEFAULT_THRESHOLD = 20

HORIZONS = {"short": N_("Short term"), "mid": N_("Mid term"), "long": N_("Long term"),
            "workload": N_("Workload")}
GOAL_TEXT_LIMIT = 200
NOTE_LIMIT = 500


def key(fw, slug: str) -> str:
    return fw.store.plugin_key(slug, NAME)


# ---------------------------------------------------------------- reading


def seed(project: dict) -> dict:
    """The version the project's ``kpi_targets`` make, in force from the start."""
    targets = dict(project.get("kpi_targets") or {})
    threshold = targets.pop("service_level_seconds", None)
    return {"id": SEED_ID, "effective": SEED_DAY, "sl_formula": DEFAULT_FORMULA,
            "sl_threshold_seconds": int(threshold) if threshold else DEFAULT_THRESHOLD,
            "targets": {code: {"target": float(v), "higher_is_better": None, "penalty": None, "owner": None}
                        for code, v in targets.items()},
            "note": "", "created_by": "", "created_at": project.get("created_at", ""), "dated": None}


def versions(fw, project: dict) -> list[dict]:
    """The contract's versions, oldest first; the seeded one alone while none was saved."""
    stored = fw.store.table(key(fw, project["slug"]), TABLE).values()
    found = sorted(stored, key=lambda v: v["effective"]) or [seed(project)]
    return [_with_directions(fw, v) for v in found]


def _with_directions(fw, version: dict) -> dict:
    """A target's ``higher_is_better`` as its KPI's declaration says (a seeded target has none)."""
    targets = {}
    for code, t in version["targets"].items():
        declared = fw.kpi_defs.get(code)
        better = t.get("higher_is_better")
        if better is None:
            better = declared.higher_is_better if declared else True
        targets[code] = {**t, "higher_is_better": better}
    return {**version, "targets": targets}


def version_on(fw, project: dict, day: dt.date) -> dict | None:
    """The version in force on *day* (None before the first one)."""
    found = None
    for version in versions(fw, project):
        if version["effective"] <= day.isoformat():
            found = version
    return found


def parts(fw, project: dict, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date, dict | None]]:
    """The span cut where a version takes effect: (first, last, version) for each part."""
    cuts = [dt.date.fromisoformat(v["effective"]) for v in versions(fw, project)]
    starts = [first] + sorted(c for c in cuts if first < c <= last)
    found = []
    for n, start in enumerate(starts):
        end = starts[n + 1] - dt.timedelta(days=1) if n + 1 < len(starts) else last
        found.append((start, end, version_on(fw, project, start)))
    return found


def goals(fw, project: dict) -> list[dict]:
    """The project's own targets: {horizon, text, number}, in the order written."""
    doc = fw.store.table(key(fw, project["slug"]), GOALS).get(GOALS)
    return list(doc["rows"]) if doc else []


# ---------------------------------------------------------------- what a target is typed in


def kinds(fw, project: dict) -> list:
    """The KPIs a contract may set a target for: every KPI the project's plugins declare,
    except the parts of a whole (grades) and figures behind an action (pay)."""
    found = [d for d in fw.kpi_defs.values()
             if d.plugin in project["plugins"] and not d.group_en and not d.action]
    return sorted(found, key=lambda d: d.plugin != NAME)  # the traffic's own first


def typed_of(unit: str, stored: float | None) -> float | None:
    """What a person types for a stored target: a percent for a rate."""
    if stored is None:
        return None
    return round(stored * 100, 4) if unit == "%" else stored


def stored_of(unit: str, typed: float) -> float:
    return typed / 100 if unit == "%" else typed


def _number(text, field, *, low: float = 0.0, high: float | None = None) -> float | None:
    text = str(text or "").strip()
    if not text:
        return None
    value = validate.number(text, field)
    if value < low or (high is not None and value > high):
        raise ValidationError(field, N_("must be between {low} and {high}"), low=low,
                              high=high if high is not None else "∞")
    return value


def _target_error(name: str, problem: str, **params) -> ValidationError:
    err = ValidationError(N_("KPI targets"), problem, **params)
    err.input = name  # the form marks this input
    return err


def _target_number(form, name: str, kpi: str, high: float | None) -> float | None:
    """A KPI's target (*high* 100 for a percent) or penalty from the form; None left empty."""
    text = str(form.get(name) or "").strip()
    if not text:
        return None
    try:
        value = validate.number(text, N_("KPI targets"))
    except ValidationError:
        raise _target_error(name, N_("{kpi}: {value!r} is not a number"), kpi=kpi, value=text) from None
    if value < 0 or (high is not None and value > high):
        raise _target_error(name, N_("{kpi}: enter a number from 0 to {high}"), kpi=kpi,
                            high=high if high is not None else "∞")
    return value


def owners(fw, project: dict) -> list[dict]:
    """The staff logins of the project who may own a KPI."""
    slug = project["slug"]
    return sorted((u for u in fw.users.all() if not u.get("disabled")
                   and set(u.get("roles") or ()) & set(STAFF) and {"*", slug} & set(u.get("projects") or ())),
                  key=lambda u: u["username"])


def parse(fw, project: dict, form, locale: str = "zh_CN") -> dict:
    """A version from the contract form: ``effective``, ``sl_formula``, ``sl_threshold_seconds``,
    ``note`` and per KPI ``<code>.target`` (a percent for a rate), ``<code>.penalty`` (yuan)
    and ``<code>.owner`` (a staff login). Raises `ValidationError` naming the first wrong field
    (a KPI by its title in *locale*)."""
    effective = validate.date(form.get("effective"), N_("Effective from (day)"))
    formula = str(form.get("sl_formula") or DEFAULT_FORMULA)
    if formula not in SL_FORMULAS:
        raise ValidationError(N_("Service-level formula"), N_("choose one of the formulas"))
    threshold = _number(form.get("sl_threshold_seconds"), N_("Service-level threshold (seconds)"), low=1,
                        high=3600)
    staff = {u["username"] for u in owners(fw, project)}
    targets = {}
    for declared in kinds(fw, project):
        code, kpi = declared.code, declared.title(locale)
        high = 100 if declared.unit == "%" else None
        target = _target_number(form, f"{code}.target", kpi, high)
        penalty = _target_number(form, f"{code}.penalty", kpi, None)
        owner = str(form.get(f"{code}.owner") or "").strip() or None
        if owner is not None and owner not in staff:
            raise _target_error(f"{code}.owner", N_("{kpi}: {login} is no staff login of this project"),
                                kpi=kpi, login=owner)
        if target is None:
            if penalty is not None or owner is not None:
                raise _target_error(f"{code}.target", N_("{kpi}: a penalty or an owner needs a target"), kpi=kpi)
            continue
        targets[code] = {"target": stored_of(declared.unit, target), "higher_is_better": declared.higher_is_better,
                         "penalty": penalty, "owner": owner}
    return {"effective": effective, "sl_formula": formula,
            "sl_threshold_seconds": int(threshold) if threshold else DEFAULT_THRESHOLD,
            "targets": targets, "note": validate.text(form.get("note"), N_("Note"), NOTE_LIMIT)}


# ---------------------------------------------------------------- writing


def _next_id(tx) -> str:
    numbers = [int(m.group(1)) for i in tx.docs(TABLE) if (m := _ID.match(i))]
    return f"V{max(numbers, default=0) + 1:04d}"


def save(fw, project: dict, version: dict, actor: str) -> dict:
    """Store *version* (from `parse`) from its effective day: a new version, or the one of that
    day replaced. The seeded version is stored first, the first time. Refused in a closed month."""
    slug = project["slug"]
    month = version["effective"][:7]
    if month in fw.store.closed_months(slug):
        raise ValidationError(N_("Effective from (day)"), N_("{month} is closed: a version cannot take effect in it"),
                              month=month)
    with fw.store.transaction(key(fw, slug), actor, f"{NAME}.contract") as tx:
        stored = list(tx.docs(TABLE).values())
        if not stored:
            tx.insert(TABLE, seed(project))
        doc = {**version, "dated": month, "created_by": actor, "created_at": now_iso()}
        same = next((v for v in stored if v["effective"] == version["effective"]), None)
        if same is not None:
            if same["id"] == SEED_ID:
                raise ValidationError(N_("Effective from (day)"), N_("the first version applies from the start: "
                                                               "choose a day"))
            return tx.update(TABLE, same["id"], doc)
        return tx.insert(TABLE, {**doc, "id": _next_id(tx)})


def parse_goals(form) -> list[dict]:
    """The goal rows of the form (``g.<n>.horizon``, ``g.<n>.text``, ``g.<n>.number``); a row
    left empty or ticked for removal is gone."""
    pattern = re.compile(r"^g\.(\d+)\.")
    numbers = sorted({int(m.group(1)) for name in form.keys() if (m := pattern.match(name))})
    if not numbers:  # a form without the rows is no list to store (it would empty the list)
        raise ValidationError(N_("Goal"), N_("is required"))
    rows = []
    for n in numbers[:100]:
        text = validate.text(form.get(f"g.{n}.text"), N_("Goal"), GOAL_TEXT_LIMIT)
        typed = str(form.get(f"g.{n}.number") or "").strip()
        number = validate.number(typed, N_("Target figure")) if typed else None
        if form.get(f"g.{n}._remove") or (not text and number is None):
            continue
        horizon = str(form.get(f"g.{n}.horizon") or "")
        if horizon not in HORIZONS:
            raise ValidationError(N_("Horizon"), N_("choose short, mid or long term, or workload"))
        if not text:
            raise ValidationError(N_("Goal"), N_("is required"))
        rows.append({"horizon": horizon, "text": text, "number": number})
    order = list(HORIZONS)
    return sorted(rows, key=lambda r: order.index(r["horizon"]))


def save_goals(fw, project: dict, rows: list[dict], actor: str) -> list[dict]:
    with fw.store.transaction(key(fw, project["slug"]), actor, f"{NAME}.goals") as tx:
        if tx.get(GOALS, GOALS) is None:
            tx.insert(GOALS, {"id": GOALS, "rows": rows, "dated": None})
        else:
            tx.update(GOALS, GOALS, {"rows": rows})
    return rows
