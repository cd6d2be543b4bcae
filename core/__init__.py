"""The API plugins import: hook markers, record types, errors and the facade's type.

A plugin imports only from here (``from floorwalker.core import hookimpl, ScoreRule, …``).
"""

from . import validate
from .errors import (Conflict, FloorwalkerError, NotFound, PeriodClosed, PermissionDenied,
                     StorageError, ValidationError)
from .exports import Table, download, guard, to_csv, to_pdf, to_xlsx
from .floorwalker import Floorwalker
from .hookspecs import hookimpl
from .i18n import N_, translate
from .importing import match_columns, read_rows
from .people import TIER_TITLES, TIERS
from .records import (KPI, Action, AgentSection, Blocker, Importer, NavItem, ReportSection, Route,
                      ScoreRule, Setting, SheetColumn, Widget)
from .shards import new_id, now_iso
from .tables import FORMATS

__all__ = [
    "FORMATS", "TIERS", "TIER_TITLES",
    "Action", "AgentSection", "Blocker", "Conflict", "Floorwalker", "FloorwalkerError", "Importer", "KPI",
    "N_", "NavItem", "NotFound", "PeriodClosed", "PermissionDenied", "ReportSection", "Route",
    "ScoreRule", "Setting", "SheetColumn", "StorageError", "Table", "ValidationError", "Widget",
    "download", "guard", "hookimpl", "match_columns", "new_id", "now_iso", "read_rows", "to_csv",
    "to_pdf", "to_xlsx", "translate", "validate",
]
