"""The complaint figures page (``figures``), the monthly review pack (``pack``, ``pack.xlsx``,
``pack.pdf``) and the dashboard's deadline widget.

Both pages take ``?month=YYYY-MM`` (default: the project's month). A client login reads both
masked: the BPO's internal figures (reopens, escalations, callbacks) and what blocks the month
close are left out, and the pack is `pack.tables` for a client. The prevention measures are
written on the pack page by those who decide complaints (a supervisor).
"""

from __future__ import annotations

from starlette.responses import Response

from floorwalker.core import N_, Route, ValidationError, Widget, validate

from . import clocks, figures, pack
from .actions import DECIDE, FIGURES, HANDLE
from .config import NAME, names
from .pages import _context, base, client_only

WATCH_ROWS = 8  # complaints listed per kind on the dashboard; the queue lists the rest


def _month(p, value=None) -> str:
    return validate.month(value or p.request.query_params.get("month")
                          or p.fw.projects.today(p.project).isoformat()[:7])


def figures_page(p) -> Response:
    month = _month(p)
    masked = client_only(p.user)
    found = figures.month_figures(p.fw, p.project, month)
    settings = p.fw.projects.settings(p.project, NAME)
    return p.render("complaints/figures.html", month=month, f=found, masked=masked,
                    internal=p.fw.access.reads(p.user, p.project),
                    trend=figures.trend(p.fw, p.project, month),
                    blocking=[] if masked else figures.blocking(p.fw, p.project, month),
                    has_contacts=figures.contact_source(p.fw, p.project) is not None,
                    category_names=names(settings["categories"], p.locale),
                    cause_names=names(settings["root_causes"], p.locale),
                    target_keys=clocks.TARGETS, **_context(p))


def _pack(p, month: str) -> list:
    found = figures.month_figures(p.fw, p.project, month)
    return pack.tables(p.fw, p.project, found, p.user, client_only(p.user), p.locale)


def pack_page(p, error: str | None = None, status: int = 200, month: str | None = None) -> Response:
    month = month or _month(p)
    agreed = pack.note(p.fw, p.project, month)
    typed = p.form.get("prevention") if error else (agreed or {}).get("prevention", "")
    return p.render("complaints/pack.html", http_status=status, month=month, tables=_pack(p, month),
                    masked=client_only(p.user), note=agreed, typed=typed or "", error=error,
                    can_write=p.can(DECIDE), **_context(p))


def pack_note(p) -> Response:
    try:
        month = validate.month(p.form.get("month"))
        pack.save_note(p.fw, p.project, month, p.form.get("prevention"), p.user["username"])
    except ValidationError as err:
        month = str(p.form.get("month") or "")
        return pack_page(p, err.message(p.locale), err.http_status,
                         month if validate_quietly(month) else None)
    return p.redirect(f"{base(p)}/pack?month={month}")


def validate_quietly(month: str) -> bool:
    try:
        validate.month(month)
    except ValidationError:
        return False
    return True


def _title(p, month: str) -> str:
    return f"{p.project['name']} · {p._(N_('Monthly complaint review'))} {month}"


def pack_xlsx(p) -> Response:
    month = _month(p)
    return p.download(pack.workbook(_pack(p, month)), f"{p.project['slug']}-complaints-{month}.xlsx")


def pack_pdf(p) -> Response:
    month = _month(p)
    return p.download(pack.document(_pack(p, month), _title(p, month), p.locale),
                      f"{p.project['slug']}-complaints-{month}.pdf")


def widgets(fw, project: dict, user: dict) -> list[Widget]:
    """The warning before a breach on the dashboard: the open complaints near a deadline and
    those past one, for those who handle complaints (a client reads the queue instead)."""
    if not fw.access.can(user, HANDLE, project) or not fw.access.can(user, FIGURES, project):
        return []  # not for an agent, who sees only the complaints it owns
    found = figures.watch(fw, project)
    return [Widget(NAME, "Complaint deadlines", "投诉时限预警", f"{NAME}/widget.html",
                   {"near": found["near"][:WATCH_ROWS], "late": found["late"][:WATCH_ROWS],
                    "counts": {"near": len(found["near"]), "late": len(found["late"])},
                    "base": f"/p/{project['slug']}/{NAME}", "targets": clocks.TARGET_TITLES},
                   order=30)]


def routes() -> list[Route]:
    """Before the complaint page's ``/{id}``, which would take ``figures`` for an id."""
    return [
        Route("/figures", figures_page, action=FIGURES),
        Route("/pack", pack_page, action=FIGURES),
        Route("/pack", pack_note, action=DECIDE, methods=("POST",)),
        Route("/pack.xlsx", pack_xlsx, action=FIGURES),
        Route("/pack.pdf", pack_pdf, action=FIGURES),
    ]
