"""What changed in a project's rules on a day (`rule_changes`), for the client report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .records import _Titled


@dataclass(frozen=True)
class RuleChange(_Titled):
    """A rule of a project that changed on `day` (`rule_changes`): what changed (a QA standard
    published, an SLA policy changed), with an optional detail, in both languages."""

    day: dt.date
    title_en: str
    title_zh: str
    detail_en: str = ""
    detail_zh: str = ""
    plugin: str = ""  # stamped by the core

    def detail(self, locale: str) -> str:
        return self.detail_zh if locale.startswith("zh") and self.detail_zh else self.detail_en
