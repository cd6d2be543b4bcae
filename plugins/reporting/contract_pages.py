"""The contract page under ``/p/{project}/reporting/contract``: the version in force (or any
version, ``?version=``), its KPI targets with penalty and owner, the service-level formula
chosen and the five formulas each written out, the versions by effective day, the project's own
short-, mid- and long-term and workload targets; for the supervisors, the form of a new version
(prefilled from the version shown) and the goals' form. A client reads its own targets and
their penalties, nothing internal (`contracts` says why)."""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import (N_, STAFF, FloorwalkerError, NotFound, PermissionDenied, Route, ValidationError,
                              setting_forms)

from . import contracts
from .actions import CONTRACT_EDIT, CONTRACT_VIEW
from .config import NAME
from .kpi_pages import unit_label
from .kpis import shown


def base(p) -> str:
    return f"/p/{p.project['slug']}/{NAME}"


def is_staff(user: dict | None) -> bool:
    return bool(set((user or {}).get("roles") or ()) & set(STAFF))


def _rows(p, version: dict | None, staff: bool) -> list[dict]:
    """One row per KPI the contract may set, with the version's target typed as a person types it."""
    targets = (version or {}).get("targets") or {}
    rows = []
    for declared in contracts.kinds(p.fw, p.project):
        if not staff and declared.audience != "client":
            continue
        t = targets.get(declared.code) or {}
        rows.append({"code": declared.code, "title": declared.title(p.locale), "unit": unit_label(p, declared),
                     "source": declared.plugin, "higher": declared.higher_is_better,
                     "target": contracts.typed_of(declared.unit, t.get("target")), "penalty": t.get("penalty"),
                     "target_text": shown(t.get("target"), declared.unit, declared.code, p.locale),
                     "owner": t.get("owner") if staff else None})
    return rows


def _typed(value):
    """A stored number as a person types it (80, not 80.0); text as it is."""
    return setting_forms.number_text(value) if isinstance(value, (int, float)) else value


def _formulas(p) -> list[dict]:
    zh = p.locale.startswith("zh")
    return [{"code": code, "formula": text[1] if zh else text[0],
             "note": contracts.SL_NOTES[code][1 if zh else 0]} for code, text in contracts.SL_FORMULAS.items()]


def contract(p, error: str | None = None, status: int = 200, typed: dict | None = None,
             bad: str = "", goal_error: str | None = None) -> Response:
    """The contract: the version asked for, else the one in force today."""
    staff = is_staff(p.user)
    found = contracts.versions(p.fw, p.project)
    today = p.fw.projects.today(p.project)
    in_force = contracts.version_on(p.fw, p.project, today)
    wanted = p.request.query_params.get("version")
    shown = next((v for v in found if v["id"] == wanted), None) if wanted else in_force
    if wanted and shown is None:
        raise NotFound(N_("no contract version {id!r}"), id=wanted)
    shown = shown or found[-1]
    rows = _rows(p, shown, staff)
    can_edit = p.can(CONTRACT_EDIT)
    form = typed
    if can_edit and form is None:
        form = {"effective": today.isoformat(), "sl_formula": shown["sl_formula"],
                "sl_threshold_seconds": shown["sl_threshold_seconds"], "note": "",
                **{f"{r['code']}.{k}": _typed(r[k]) for r in rows for k in ("target", "penalty", "owner")
                   if r[k] is not None}}
    goals = [{**g, "number": _typed(g["number"])} for g in contracts.goals(p.fw, p.project)] if staff else []
    return p.render("reporting/contract.html", http_status=status, versions=found, shown=shown,
                    in_force=in_force, rows=rows, formulas=_formulas(p), staff=staff, can_edit=can_edit,
                    form=form or {}, error=error, bad=bad, goals=goals, goal_error=goal_error,
                    horizons=contracts.HORIZONS, seed_day=contracts.SEED_DAY,
                    owners=[(u["username"], u.get("name") or u["username"]) for u in
                            contracts.owners(p.fw, p.project)] if can_edit else [],
                    spare=[{} for _ in range(3)], base=base(p))


def save(p) -> Response:
    form = {k: p.form.get(k) for k in p.form.keys()}
    try:
        version = contracts.parse(p.fw, p.project, p.form, p.locale)
        saved = contracts.save(p.fw, p.project, version, p.user["username"])
    except FloorwalkerError as err:
        if isinstance(err, (NotFound, PermissionDenied)):
            raise
        return contract(p, err.message(p.locale), err.http_status, typed=form, bad=getattr(err, "input", ""))
    return p.redirect(f"{base(p)}/contract?version={saved['id']}&saved=1")


def save_goals(p) -> Response:
    try:
        rows = contracts.parse_goals(p.form)
        contracts.save_goals(p.fw, p.project, rows, p.user["username"])
    except ValidationError as err:
        return contract(p, status=err.http_status, goal_error=err.message(p.locale))
    return p.redirect(f"{base(p)}/contract?goals=1#goals")


def routes() -> list[Route]:
    post = ("POST",)
    return [
        Route("/contract", contract, action=CONTRACT_VIEW),
        Route("/contract", save, action=CONTRACT_EDIT, methods=post, limits={"note": contracts.NOTE_LIMIT}),
        Route("/contract/goals", save_goals, action=CONTRACT_EDIT, methods=post),
    ]
