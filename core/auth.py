"""Sign-in: server-side sessions, the sign-in form's token, and what a login sees of names.

Sessions live in the store (shard ``sessions``, a file of their own so a busy login page never
locks ``core.json``), keyed by a hash of the token: the cookie carries the token signed with
itsdangerous, the file only its SHA-256, so the file (and its audit log) never holds a usable
token. Logout deletes the session; a disabled user is refused on the very next request because
the user is re-read on every request. Every write of the file (a sign-in, a sign-out, ending a
user's sessions) drops the expired sessions, so the file holds the sessions of the last
`SESSION_HOURS` of sign-ins at most; the audit of the sign-ins moves out month by month like every
long-lived file's (`core/audit_files.py`).

Failed sign-ins are throttled in `throttle`.

Who may do what is decided in `access` (`Access.authorize`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer

from .errors import FloorwalkerError
from .i18n import N_
from .store import now_iso

SESSIONS = "sessions"
SESSION_HOURS = 12
COOKIE = "fw_session"


class TooManyAttempts(FloorwalkerError):
    http_status = 429

    def __init__(self, minutes: int):
        super().__init__(N_("too many failed sign-ins; try again in {minutes} minutes"), minutes=minutes)


# ---------------------------------------------------------------- what a login sees


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
            _drop_expired(tx, now)
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
            _drop_expired(tx, _utc_now())

    def end_all(self, username: str, actor: str) -> int:
        """End every session of *username* (a disabled account, a changed password)."""
        with self.fw.store.transaction(SESSIONS, actor, "session.end_all") as tx:
            mine = [s["id"] for s in tx.docs("sessions").values() if s["user"] == username]
            for sid in mine:
                tx.remove("sessions", sid)
            _drop_expired(tx, _utc_now())
        return len(mine)


def _drop_expired(tx, now: dt.datetime) -> int:
    """Remove the sessions of *tx* expired at *now*, so the file holds only live ones."""
    expired = [doc["id"] for doc in tx.docs("sessions").values() if doc["expires_at"] < now.isoformat()]
    for sid in expired:
        tx.remove("sessions", sid)
    return len(expired)


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
