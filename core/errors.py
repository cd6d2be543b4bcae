"""Errors a user can cause or meet, each with a message in the user's language.

Every error carries an English message id with `{placeholders}` and its parameters, so the
CLI and the web shell can show it in the reader's language (`err.message(locale)`).
`ValidationError` names the field and the problem; import errors add the row.
"""

from __future__ import annotations

from .i18n import DEFAULT_LOCALE, Msg, N_, translate


class FloorwalkerError(Exception):
    """Base of every error that is the user's to read. Exit code 1 in the CLI."""

    http_status = 400
    exit_code = 1

    def __init__(self, message: str, **params):
        self.msgid = message
        self.params = params
        super().__init__(self.message("en"))

    def message(self, locale: str = DEFAULT_LOCALE) -> str:
        return translate(self.msgid, locale, **self.params)


class ValidationError(FloorwalkerError):
    """A value is wrong: names the field and the problem (and the row, for imports).

    Exit code 1, or 2 for a file an import refuses (a row of it, or `FileRefused`), as for a bad
    argument: a script that feeds files tells a bad file from a command that failed.
    """

    http_status = 422

    def __init__(self, field: str, problem: str, row: int | None = None, **params):
        self.field = field
        self.problem = problem
        self.row = row
        if row is None:
            super().__init__(N_("{field}: {problem}"), field=Msg(field),
                             problem=_Filled(problem, params))
        else:
            super().__init__(N_("row {row}, {field}: {problem}"), row=row, field=Msg(field),
                             problem=_Filled(problem, params))

    def message(self, locale: str = DEFAULT_LOCALE) -> str:
        params = dict(self.params)
        params["problem"] = params["problem"].render(locale)
        return translate(self.msgid, locale, **params)

    @property
    def exit_code(self) -> int:
        return 1 if self.row is None else 2


class FileRefused(ValidationError):
    """A file to import is refused whole: unreadable, too long, a column missing or twice."""

    exit_code = 2


class _Filled:
    """A message with its own parameters, rendered inside another message."""

    def __init__(self, message: str, params: dict):
        self.message, self.params = message, params

    def render(self, locale: str) -> str:
        return translate(self.message, locale, **self.params)

    def __str__(self) -> str:
        return self.render("en")


class NotFound(FloorwalkerError):
    """The thing asked for does not exist, or not for this user (HTTP 404)."""
    http_status = 404


class Conflict(FloorwalkerError):
    """The write would break a rule of the data (a duplicate, a closed month)."""

    http_status = 409


class PeriodClosed(Conflict):
    """A change dated in a closed month: nothing in it can change (HTTP 409)."""
    def __init__(self, project: str, month: str):
        super().__init__(N_("{month} of project {project} is closed: nothing in it can change"),
                         project=project, month=month)


class PermissionDenied(FloorwalkerError):
    """The user's role does not allow this (HTTP 403)."""
    http_status = 403


class StorageError(FloorwalkerError):
    """The store could not read or write a file; the file is as it was."""

    http_status = 500
    exit_code = 3


class StoreBusy(StorageError):
    http_status = 503

    def __init__(self, path: str):
        super().__init__(N_("the data file {path} is busy; try again in a moment"), path=path)


class DiskFull(StorageError):
    http_status = 507

    def __init__(self, path: str, free: int, needed: int):
        super().__init__(
            N_("not enough free disk space to write {path} ({free} bytes free, {needed} needed); "
               "nothing was written"), path=path, free=free, needed=needed)


class CorruptFile(StorageError):
    def __init__(self, path: str, reason: str):
        super().__init__(N_("the data file {path} is damaged ({reason}); refusing to start. "
                            "Restore it from {path}.prev or a backup"), path=path, reason=reason)
