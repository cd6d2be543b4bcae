"""``floorwalker reporting kpis --project P --first YYYY-MM-DD --last YYYY-MM-DD --format
table|csv|json``: every KPI of the span against the contract's target (a part per contract
version in force). The JSON is a list, one object per KPI and part: ``code``, ``value``,
``target``, ``met``, ``n``, ``automated`` — and ``unit``, ``penalty``, ``first``, ``last``, the
days left out for lacking a field the figure needs (``missing_days``, ``missing_fields``) —
in the platform's units (a rate a fraction, seconds, yuan; None where there is no data)."""

from __future__ import annotations

import datetime as dt

import click

from floorwalker.core import N_, Session, format_option, formats, project_option, translate, validate

from . import kpis
from .kpis import shown

COLUMNS = [("kpi", N_("KPI")), ("first", N_("first day")), ("last", N_("last day")), ("value", N_("Value")),
           ("target", N_("Pass line")), ("met", N_("Hit or miss")), ("n", "n"), ("source", N_("Source")),
           ("penalty", N_("Penalty"))]


def as_json(f: kpis.Figure) -> dict:
    return {"code": f.code, "value": f.value, "target": f.target, "met": f.met, "n": f.n,
            "automated": f.automated, "unit": f.unit, "penalty": f.penalty, "first": f.first, "last": f.last,
            "missing_days": f.missing_days, "missing_fields": [x for x in f.missing_fields.split(",") if x]}


@click.command("kpis")
@project_option
@click.option("--first", "first", required=True, help="YYYY-MM-DD")
@click.option("--last", "last", required=True, help="YYYY-MM-DD")
@format_option
@click.pass_obj
def kpis_command(s: Session, project, first, last, fmt):
    """The KPIs of a span against the contract's targets (a part per contract version)."""
    doc = s.fw.projects.get(project)
    first = dt.date.fromisoformat(validate.date(first, N_("first day")))
    last = dt.date.fromisoformat(validate.date(last, N_("last day")))
    found = kpis.figures(s.fw, doc, first, last, None)
    if fmt == "json":
        s.show([as_json(f) for f in found], [], fmt)
        return
    words = {True: translate(N_("met"), s.locale), False: translate(N_("missed"), s.locale), None: "–"}
    hand, auto = translate(N_("entered by hand"), s.locale), translate(N_("automated"), s.locale)
    s.show([{"kpi": f.title(s.locale), "first": f.first, "last": f.last,
             "value": translate(N_("No data"), s.locale) if f.value is None else shown(f.value, f.unit, f.code, s.locale),
             "target": "–" if f.target is None else shown(f.target, f.unit, f.code, s.locale),
             "met": words[f.met], "n": "–" if f.n is None else f.n, "source": auto if f.automated else hand,
             "penalty": "–" if not f.penalty else formats.money(f.penalty, s.locale)} for f in found], COLUMNS, fmt)
