"""The API plugins import: hook markers, record types, errors, the facade's type and the kit of
a command (`Session`, `format_option`, `project_option`, `month_option`).

A plugin imports only from here (``from floorwalker.core import hookimpl, ScoreRule, …``).
"""

from . import validate
from .access import LEADERS, STAFF, SUPERVISORS
from .calendar import BusinessHours, HolidayCalendar
from .commands import Session, format_option, month_option, project_option
from .errors import (Conflict, FloorwalkerError, NotFound, PeriodClosed, PermissionDenied,
                     StorageError, ValidationError)
from .exports import Table, download, guard, to_csv, to_pdf, to_xlsx
from .floorwalker import Floorwalker
from .hookspecs import hookimpl, hookspec
from .i18n import N_, translate
from .importing import match_columns, read_rows
from .people import TIER_TITLES, TIERS
from .records import (KPI, Absence, Action, AgendaItem, AgentSection, Blocker, Importer, Job,
                      KPIDef, Migration, NavItem, ReportSection, Route, ScoreRule, Setting,
                      SheetColumn, WaitingItem, Widget)
from .shards import new_id, now_iso
from .tables import FORMATS

__all__ = [
    "FORMATS", "LEADERS", "STAFF", "SUPERVISORS", "TIERS", "TIER_TITLES", "Absence", "Action",
    "AgendaItem", "AgentSection", "Blocker", "BusinessHours", "Conflict", "Floorwalker",
    "FloorwalkerError", "HolidayCalendar", "Importer", "Job", "KPI", "KPIDef", "Migration",
    "N_", "NavItem", "NotFound", "Page", "PeriodClosed", "PermissionDenied", "ReportSection",
    "Route", "ScoreRule", "Session", "Setting", "SheetColumn", "StorageError", "Table",
    "ValidationError", "WaitingItem", "Widget", "download", "format_option", "guard",
    "hookimpl", "hookspec", "match_columns", "month_option", "new_id", "now_iso",
    "project_option", "read_rows", "to_csv", "to_pdf", "to_xlsx", "translate", "validate",
]


def __getattr__(name: str):
    """`Page` — the request a route's endpoint gets — is imported when first asked for, so a
    command that serves no page does not load the web framework."""
    if name == "Page":
        from .page import Page
        return Page
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
