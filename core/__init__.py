"""The API plugins import: hook markers, record types, errors and the facade's type.

A plugin imports only from here (``from floorwalker.core import hookimpl, ScoreRule, …``).
"""

from . import validate
from .calendar import BusinessHours, HolidayCalendar
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
    "FORMATS", "TIERS", "TIER_TITLES",
    "Absence", "AgendaItem", "Job", "KPIDef", "Migration", "WaitingItem", "hookspec",
    "Action", "AgentSection", "Blocker", "BusinessHours", "Conflict", "Floorwalker", "FloorwalkerError",
    "HolidayCalendar", "Importer", "KPI", "N_", "NavItem", "NotFound", "PeriodClosed", "PermissionDenied",
    "ReportSection", "Route", "ScoreRule", "Setting", "SheetColumn", "StorageError", "Table",
    "ValidationError", "Widget",
    "download", "guard", "hookimpl", "match_columns", "new_id", "now_iso", "read_rows", "to_csv",
    "to_pdf", "to_xlsx", "translate", "validate",
]
