"""The API plugins import: hook markers, record types, errors, the facade's type and the kit of
a command (`Session`, `format_option`, `project_option`, `month_option`).

A plugin imports only from here (``from floorwalker.core import hookimpl, ScoreRule, …``).
"""

from . import formats, setting_forms, validate
from .access import LEADERS, STAFF, SUPERVISORS
from .calendar import BusinessHours, HolidayCalendar
from .commands import Session, format_option, month_option, project_option
from .commands.imports import import_options, run_import
from .errors import (Conflict, FloorwalkerError, NotFound, PeriodClosed, PermissionDenied,
                     StorageError, ValidationError)
from .exports import Cell, Table, download, guard, to_csv, to_pdf, to_xlsx
from .floorwalker import Floorwalker
from .hookspecs import hookimpl, hookspec
from .i18n import N_, translate
from . import mappings, values
from .importing import DATE_NAMES, NUMBER_NAMES, match_columns, read_rows
from .mappings import Checks, Preview
from .reading import Fields, read_table
from .people import TIER_TITLES, TIERS
from .records import (KPI, Absence, Action, AgendaItem, AgentSection, Blocker, Choice, Evidence,
                      Importer, Job, KPIDef, Migration, NavItem, ReportSection, Route, ScoreRule, Setting,
                      SettingField, SheetColumn, WaitingItem, Widget)
from .api import Call, Endpoint
from .changes import RuleChange
from .rostered import RosteredShift
from .rule_limits import is_violation
from .shards import new_id, now_iso
from .tables import FORMATS

__all__ = [
    "Call", "Endpoint",
    "FORMATS", "LEADERS", "STAFF", "SUPERVISORS", "TIERS", "TIER_TITLES", "Absence", "Action",
    "AgendaItem", "AgentSection", "Blocker", "BusinessHours", "Cell", "Choice", "Conflict", "Evidence", "Floorwalker",
    "FloorwalkerError", "HolidayCalendar", "Importer", "Job", "KPI", "KPIDef", "Migration",
    "N_", "NavItem", "NotFound", "Page", "PeriodClosed", "PermissionDenied", "ReportSection",
    "RosteredShift", "Route", "RuleChange", "ScoreRule", "Session", "Setting", "SettingField", "SheetColumn", "StorageError",
    "Table", "ValidationError", "WaitingItem", "Widget", "download", "format_option", "formats", "guard",
    "hookimpl", "hookspec", "is_violation", "match_columns", "month_option", "new_id", "now_iso",
    "project_option", "read_rows", "read_table", "mappings", "values", "Checks", "Preview", "Fields",
    "DATE_NAMES", "NUMBER_NAMES", "import_options", "run_import", "setting_forms", "to_csv", "to_pdf", "to_xlsx", "translate",
    "validate",
]


def __getattr__(name: str):
    """`Page` — the request a route's endpoint gets — is imported when first asked for, so a
    command that serves no page does not load the web framework."""
    if name == "Page":
        from .page import Page
        return Page
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
