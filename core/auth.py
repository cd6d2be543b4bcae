"""Sign-in and access: server-side sessions, the login throttle, and `authorize()`.

Sessions live in the store (shard ``sessions``, a file of their own so a busy login page never
locks ``core.json``), keyed by a hash of the token: the cookie carries the token signed with
itsdangerous, the file only its SHA-256, so the file (and its audit log) never holds a usable
token. Logout deletes the session; a disabled user is refused on the very next request because
the user is re-read on every request.

The throttle counts failed sign-ins per account and per address in memory: the app runs in one
uvicorn worker (the store requires it), and a restart forgetting the counts is harmless.

`authorize()` is the one decision for every request. Deny by default: an action not in
`ACTIONS` (or matching a plugin verb in `PLUGIN_VERBS`) is refused for everybody. Project scope
comes first and is never widened by a role: a project outside the user's ``projects`` answers
404 exactly like a project that does not exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque

from itsdangerous import BadSignature, URLSafeTimedSerializer

from .errors import FloorwalkerError, NotFound, PermissionDenied
from .i18n import N_
from .store import now_iso
from .users import ALL_PROJECTS

SESSIONS = "sessions"
SESSION_HOURS = 12
COOKIE = "fw_session"

ROLE_TITLES = {"admin": N_("Admin"), "director": N_("Director"), "supervisor": N_("Supervisor"),
               "team_leader": N_("Team leader"), "qa": N_("QA"), "agent": N_("Agent"),
               "client": N_("Client")}
STAFF = ("admin", "director", "supervisor", "team_leader", "qa")
MANAGERS = ("admin", "director")
# action -> roles allowed; "scope" says whether the action needs a project in the user's scope.
ACTIONS: dict[str, tuple[tuple[str, ...], bool]] = {
    "public": (("*",), False),
    "signed_in": (("*",), False),
    "project.dashboard": (STAFF + ("client",), True),
    "agents.list": (STAFF, True),
    "agent.view": (STAFF + ("agent",), True),
    "scores.view": (STAFF, True),
    "scores.export": (("admin", "director", "supervisor"), True),
    "periods.view": (("admin", "director", "supervisor", "team_leader"), True),
    "periods.close": (MANAGERS, True),
    "admin.users": (("admin",), False),
    "admin.projects": (("admin",), False),
    "admin.project": (("admin",), True),
    "admin.audit": (("admin",), False),
    "admin.settings": (("admin",), False),
}
# A plugin route's action is "<plugin>.<verb>"; the verb decides who may use it.
PLUGIN_VERBS: dict[str, tuple[str, ...]] = {
    "view": STAFF,
    "edit": ("admin", "director", "supervisor", "team_leader", "qa"),
    "manage": ("admin", "director", "supervisor"),
    "report": STAFF + ("client",),
    "own": STAFF + ("agent",),
}


class TooManyAttempts(FloorwalkerError):
    http_status = 429

    def __init__(self, minutes: int):
        super().__init__(N_("too many failed sign-ins; try again in {minutes} minutes"), minutes=minutes)


# ---------------------------------------------------------------- authorisation


def in_scope(user: dict, project: str) -> bool:
    projects = user.get("projects") or []
    return ALL_PROJECTS in projects or project in projects


def roles_for(action: str) -> tuple[tuple[str, ...], bool]:
    if action in ACTIONS:
        return ACTIONS[action]
    verb = action.rsplit(".", 1)[-1]
    if "." in action and verb in PLUGIN_VERBS:
        return PLUGIN_VERBS[verb], True
    return (), True


def authorize(user: dict | None, action: str, project: str | None = None, obj: dict | None = None) -> None:
    """Allow *user* to do *action* in *project* on *obj*, or raise.

    Raises `NotFound` when the project (or the object) is outside what the user may know of —
    another project's object, another agent's record for an agent login — and
    `PermissionDenied` when the user knows it but the role does not allow the action.
    """
    if action == "public":
        return
    if user is None or user.get("disabled"):
        raise PermissionDenied(N_("sign in first"))
    roles, scoped = roles_for(action)
    if scoped:
        if project is None or not in_scope(user, project):
            raise NotFound(N_("no project {slug!r}"), slug=project or "")
        if obj is not None and obj.get("project", project) != project:
            raise NotFound(N_("not found"))
    user_roles = set(user.get("roles") or ())
    if "*" not in roles and not user_roles & set(roles):
        raise PermissionDenied(N_("your role does not allow this"))
    if obj is not None and user_roles <= {"agent"} and _agent_of(obj) != user.get("agent"):
        raise NotFound(N_("not found"))


def _agent_of(obj: dict) -> str | None:
    """The agent number an object belongs to: a record's ``agent``, or an agent's ``number``."""
    return obj["agent"] if "agent" in obj else obj.get("number")


def can(user: dict | None, action: str, project: str | None = None, obj: dict | None = None) -> bool:
    try:
        authorize(user, action, project, obj)
    except (NotFound, PermissionDenied):
        return False
    return True


def client_only(user: dict) -> bool:
    return set(user.get("roles") or ()) == {"client"}


def agent_label(user: dict, agent: dict, show_names: bool, locale: str, index: int) -> str:
    """An agent's name, or "Agent #n" for a client login when the project hides names."""
    if not client_only(user) or show_names:
        return agent["name"]
    return f"坐席 #{index}" if locale.startswith("zh") else f"Agent #{index}"


# ---------------------------------------------------------------- sessions


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    """Sessions stored on the server behind a signed cookie value."""

    def __init__(self, fw, secret: str | None = None):
        self.fw = fw
        self.secret = secret or self._stored_secret()
        self.signer = URLSafeTimedSerializer(self.secret, salt="fw-session")

    def _stored_secret(self) -> str:
        found = self.fw.store.table(SESSIONS, "keys").get("cookie")
        if found:
            return found["secret"]
        with self.fw.store.transaction(SESSIONS, "system", "sessions.key") as tx:
            found = tx.get("keys", "cookie")
            if found:
                return found["secret"]
            return tx.insert("keys", {"id": "cookie", "secret": secrets.token_urlsafe(48)})["secret"]

    def start(self, user: dict) -> str:
        """A new session for *user*; returns the signed cookie value. Expired ones are dropped."""
        token = secrets.token_urlsafe(32)
        now = _utc_now()
        expires = now + dt.timedelta(hours=SESSION_HOURS)
        with self.fw.store.transaction(SESSIONS, user["username"], "session.start") as tx:
            for doc in list(tx.docs("sessions").values()):
                if doc["expires_at"] < now.isoformat():
                    tx.remove("sessions", doc["id"])
            tx.insert("sessions", {"id": _digest(token), "user": user["username"],
                                   "csrf": secrets.token_urlsafe(24), "created_at": now_iso(),
                                   "expires_at": expires.isoformat()})
        return self.signer.dumps(token)

    def load(self, cookie: str | None) -> tuple[dict, dict] | None:
        """(session, user) for a cookie value, or None when signed-out, expired or disabled."""
        if not cookie:
            return None
        try:
            token = self.signer.loads(cookie, max_age=SESSION_HOURS * 3600)
        except BadSignature:
            return None
        session = self.fw.store.table(SESSIONS, "sessions").get(_digest(token))
        if session is None or session["expires_at"] < _utc_now().isoformat():
            return None
        user = self.fw.users.find(session["user"])
        if user is None or user.get("disabled"):
            return None
        return session, user

    def end(self, session: dict) -> None:
        with self.fw.store.transaction(SESSIONS, session["user"], "session.end") as tx:
            if tx.get("sessions", session["id"]):
                tx.remove("sessions", session["id"])

    def end_all(self, username: str, actor: str) -> int:
        """End every session of *username* (a disabled account, a changed password)."""
        with self.fw.store.transaction(SESSIONS, actor, "session.end_all") as tx:
            mine = [s["id"] for s in tx.docs("sessions").values() if s["user"] == username]
            for sid in mine:
                tx.remove("sessions", sid)
        return len(mine)


class FormTokens:
    """The CSRF token of a visitor not signed in yet (the sign-in form, its language switch).

    There is no session to keep it in, so it is a double submit: a random token in a signed,
    HttpOnly, SameSite=Lax cookie and the same token in a hidden field. Another site can make a
    browser send the cookie but can neither read it nor forge its signature, so it cannot put
    the matching token in its form (login CSRF: signing a victim into the attacker's account).
    """

    COOKIE = "fw_csrf"

    def __init__(self, secret: str):
        self.signer = URLSafeTimedSerializer(secret, salt="fw-form-token")

    def new(self) -> tuple[str, str]:
        """A fresh (token, signed cookie value)."""
        token = secrets.token_urlsafe(24)
        return token, self.signer.dumps(token)

    def read(self, cookie: str | None) -> str | None:
        """The token a cookie carries, or None when missing, forged or older than a session."""
        if not cookie:
            return None
        try:
            return self.signer.loads(cookie, max_age=SESSION_HOURS * 3600)
        except BadSignature:
            return None

    def valid(self, cookie: str | None, submitted) -> bool:
        token = self.read(cookie)
        return token is not None and secrets.compare_digest(str(submitted or "").encode(), token.encode())


# ---------------------------------------------------------------- throttle


class LoginThrottle:
    """At most `limit` failed sign-ins per account and per address within `window` seconds."""

    def __init__(self, limit: int = 5, window: float = 15 * 60, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _keys(self, username: str, address: str) -> list[str]:
        return [f"user:{(username or '').strip().lower()}", f"addr:{address}"]

    def check(self, username: str, address: str) -> None:
        """Raise `TooManyAttempts` while either key is over the limit."""
        now = self.clock()
        with self._lock:
            wait = 0.0
            for key in self._keys(username, address):
                failures = self._failures[key]
                while failures and failures[0] <= now - self.window:
                    failures.popleft()
                if len(failures) >= self.limit:
                    wait = max(wait, failures[0] + self.window - now)
        if wait:
            raise TooManyAttempts(max(1, round(wait / 60)))

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in self._keys(username, address):
                self._failures[key].append(now)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(username, "")[0], None)
