"""Per-project settings: defaults from each plugin's schema, values checked against it."""

from __future__ import annotations

from datetime import time
from typing import Any, Mapping

import orjson

from .errors import ValidationError
from .i18n import N_
from .records import Setting

_TRUE = {"1", "true", "yes", "on", "是"}
_FALSE = {"0", "false", "no", "off", "否", ""}


def coerce(setting: Setting, value: Any) -> Any:
    """Turn *value* (typed, or text from a form or the CLI) into the setting's type, checked."""
    converted = _convert(setting, value)
    if setting.check is not None:
        setting.check(converted)
    return converted


def _convert(setting: Setting, value: Any) -> Any:
    field = setting.key
    try:
        if setting.type == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ValueError
        if setting.type == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            number = int(str(value).strip()) if isinstance(value, str) else int(value)
        elif setting.type == "float":
            number = float(str(value).strip()) if isinstance(value, str) else float(value)
        elif setting.type == "choice":
            if value not in setting.choices:
                raise ValidationError(field, N_("must be one of {choices}"),
                                      choices=", ".join(map(str, setting.choices)))
            return value
        elif setting.type == "time":
            return time.fromisoformat(str(value).strip()).strftime("%H:%M")
        elif setting.type in ("json", "rows", "mapping"):  # from the CLI: JSON text
            return orjson.loads(value) if isinstance(value, (str, bytes)) else value
        else:
            return str(value)
    except (ValueError, TypeError, orjson.JSONDecodeError):
        kind = {"bool": N_("yes or no"), "int": N_("a whole number"), "float": N_("a number"),
                "time": N_("a time as HH:MM"), "json": N_("valid JSON"), "rows": N_("valid JSON"),
                "mapping": N_("valid JSON")}.get(setting.type, N_("a value"))
        raise ValidationError(field, N_("expected {kind}, got {value!r}"), kind=kind,
                              value=value) from None
    if setting.min is not None and number < setting.min:
        raise ValidationError(field, N_("must be at least {min}"), min=setting.min)
    if setting.max is not None and number > setting.max:
        raise ValidationError(field, N_("must be at most {max}"), max=setting.max)
    return number


def resolve(schema: Mapping[str, Setting], stored: Mapping[str, Any]) -> dict[str, Any]:
    """The effective settings: defaults overlaid with the stored values."""
    values = {key: setting.default for key, setting in schema.items()}
    values.update({k: v for k, v in stored.items() if k in schema})
    return values


def validate(schema: Mapping[str, Setting], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Check every changed value against *schema*; unknown keys are an error."""
    out = {}
    for key, value in changes.items():
        if key not in schema:
            raise ValidationError(key, N_("no such setting"))
        out[key] = coerce(schema[key], value)
    return out
