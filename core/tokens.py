"""API tokens: what the telephony, the chat platform and payroll present to call ``/api/v1/``.

A user makes named tokens, each with an expiry and a scope: read only, or read and write; every
project the user sees, or some of them. A token is shown once, when made (``fwt_<id>.<secret>``),
and stored only as a SHA-256 digest of its secret (the secret is 256 random bits: a digest is
enough, no slow hash is needed to stop guessing). It is listed with when it was last used, and
revoked by its owner or an administrator. A call made with a token is the token's user doing it
— every authorisation the pages make applies — narrowed to the token's projects, and to reading
when the token does not write: a token never does what its user cannot.

Tokens live in their own file (``data/tokens.json``): a call records its use there at most once a
minute, and a commit a minute in ``core.json`` would bump the generation that keys the sheets.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from .errors import NotFound, PermissionDenied, ValidationError
from .i18n import N_
from .shards import now_iso
from .users import ALL_PROJECTS, in_scope

TOKENS = "tokens"  # the store's key: data/tokens.json
TABLE = "tokens"
PREFIX = "fwt_"
DAYS = 90  # the expiry when none is given
MOST_DAYS = 730
NAME_LIMIT = 80
USE_EVERY = dt.timedelta(minutes=1)  # how often a token's last use is written down


class Unauthorized(PermissionDenied):
    """No token, a malformed one, an unknown, revoked or expired one: HTTP 401."""

    http_status = 401


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Tokens:
    def __init__(self, fw):
        self.fw = fw

    def all(self, username: str | None = None) -> list[dict]:
        """Every token (of *username*), newest first, without its digest."""
        docs = self.fw.store.table(TOKENS, TABLE).values()
        return sorted(({k: v for k, v in d.items() if k != "hash"} for d in docs
                       if username is None or d["user"] == username),
                      key=lambda d: d["created_at"], reverse=True)

    def create(self, username: str, name: str, actor: str, *, write: bool = False,
               projects: list[str] | None = None, days: int | None = DAYS) -> tuple[dict, str]:
        """Make a token for *username*; returns (its record, the token to hand over once)."""
        user = self.fw.users.find((username or "").strip().lower())
        if user is None or user.get("disabled"):
            raise NotFound(N_("no user {username!r}"), username=username)
        name = (name or "").strip()
        if not name:
            raise ValidationError(N_("name"), N_("give the token a name (what will use it)"))
        if len(name) > NAME_LIMIT:
            raise ValidationError(N_("name"), N_("at most {limit} characters long"), limit=NAME_LIMIT)
        if days is None or isinstance(days, bool) or not 1 <= int(days) <= MOST_DAYS:
            raise ValidationError(N_("days"), N_("between 1 and {most} days"), most=MOST_DAYS)
        wanted = [p.strip() for p in (projects or []) if p and p.strip()] or [ALL_PROJECTS]
        for slug in wanted:
            if slug != ALL_PROJECTS and (not in_scope(user, slug) or slug not in
                                         {p["slug"] for p in self.fw.projects.all()}):
                raise ValidationError(N_("project"), N_("{username} does not see project {project!r}"),
                                      username=user["username"], project=slug)
        ident = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        now = _now()
        doc = {"id": ident, "user": user["username"], "name": name, "hash": _digest(secret),
               "write": bool(write), "projects": wanted, "created_at": now.isoformat(),
               "created_by": actor, "expires_at": (now + dt.timedelta(days=int(days))).isoformat(),
               "revoked_at": None, "last_used_at": None}
        with self.fw.store.transaction(TOKENS, actor, "token.create") as tx:
            tx.insert(TABLE, doc)
        shown = {k: v for k, v in doc.items() if k != "hash"}
        return shown, f"{PREFIX}{ident}.{secret}"

    def revoke(self, ident: str, actor: str, user: dict | None = None) -> dict:
        """Revoke token *ident* (*user*, when given, must own it or be an administrator)."""
        found = self.fw.store.table(TOKENS, TABLE).get(str(ident))
        if found is None or (user is not None and found["user"] != user["username"]
                             and "admin" not in (user.get("roles") or ())):
            raise NotFound(N_("no token {id!r}"), id=ident)
        if found["revoked_at"]:
            return found
        with self.fw.store.transaction(TOKENS, actor, "token.revoke") as tx:
            return tx.update(TABLE, found["id"], {"revoked_at": now_iso()})

    def authenticate(self, header: str | None) -> tuple[dict, dict]:
        """(the token's record, its user narrowed to the token's projects) for an
        ``Authorization: Bearer …`` header, or `Unauthorized`."""
        scheme, _, value = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthorized(N_("send a token: Authorization: Bearer <token>"))
        value = value.strip()
        ident, _, secret = value[len(PREFIX):].partition(".") if value.startswith(PREFIX) else ("", "", "")
        found = self.fw.store.table(TOKENS, TABLE).get(ident) if ident and secret else None
        if found is None or not hmac.compare_digest(found["hash"], _digest(secret)):
            raise Unauthorized(N_("the token is not valid"))
        if found["revoked_at"]:
            raise Unauthorized(N_("the token was revoked"))
        now = _now()
        if dt.datetime.fromisoformat(found["expires_at"]) <= now:
            raise Unauthorized(N_("the token expired"))
        user = self.fw.users.find(found["user"])
        if user is None or user.get("disabled"):
            raise Unauthorized(N_("the token's user is disabled"))
        self._used(found, now)
        return found, narrowed(user, found)

    def _used(self, found: dict, now: dt.datetime) -> None:
        last = found["last_used_at"]
        if last and now - dt.datetime.fromisoformat(last) < USE_EVERY:
            return
        with self.fw.store.transaction(TOKENS, found["user"], "token.used") as tx:
            tx.update(TABLE, found["id"], {"last_used_at": now.isoformat()})


def narrowed(user: dict, token: dict) -> dict:
    """*user* as the token may act: its projects cut to the token's."""
    if ALL_PROJECTS in token["projects"]:
        return user
    projects = [p for p in token["projects"] if in_scope(user, p)]
    return {**user, "projects": projects}
