"""Users: logins with roles, the projects they may see, a language, an optional agent link.

Passwords are hashed with argon2id (argon2-cffi); there is no default account.
"""

from __future__ import annotations

import re
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from . import validate
from .errors import Conflict, NotFound, ValidationError
from .i18n import LOCALES, N_, translate
from .store import CORE, now_iso

ROLES = ("admin", "director", "supervisor", "trainer", "team_leader", "qa", "agent", "client")
ALL_PROJECTS = "*"
MIN_PASSWORD = 8
# actors of the audit and the ledger that are no person: the platform's jobs and settling, the demo
SYSTEM_ACTORS = {"system": N_("System"), "demo": N_("Demo data")}
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(N_("password"), N_("must have at least {n} characters"), n=MIN_PASSWORD)
    return password


def led_teams(user: dict | None, project: str) -> list[str]:
    """The slugs of the teams of *project* that *user* leads (``user["teams"]``), in order."""
    prefix = f"{project}."
    return sorted(t[len(prefix):] for t in (user or {}).get("teams") or () if t.startswith(prefix))


def in_scope(user: dict, project: str) -> bool:
    """Whether *user* may know of *project* at all (a role never widens this)."""
    projects = user.get("projects") or []
    return ALL_PROJECTS in projects or project in projects


class Users:
    def __init__(self, fw):
        self.fw = fw

    def all(self) -> list[dict]:
        """Every user of the install, by user name (a page offering whom to hand work to)."""
        return sorted(self.fw.store.table(CORE, "users").values(), key=lambda u: u["username"])

    def get(self, username: str) -> dict:
        """The user *username*, or `NotFound`."""
        user = self.fw.store.table(CORE, "users").get(username)
        if user is None:
            raise NotFound(N_("no user {username!r}"), username=username)
        return user

    def find(self, username: str) -> dict | None:
        return self.fw.store.table(CORE, "users").get(username)

    def display_name(self, username: str | None, locale: str) -> str:
        """How a page names the person who did something: the user's name, "System" for the
        system's own work; an actor who is no user (a command-line login, a user removed) as
        recorded, since nothing better is known."""
        if not username:
            return "–"
        user = self.find(username)
        if user is not None:
            return user.get("name") or username
        if username in SYSTEM_ACTORS:
            return translate(SYSTEM_ACTORS[username], locale)
        agents = self.fw.store.table(CORE, "agents")  # an agent who asked without a login of its own
        agent = agents.get(username) or agents.get(username.upper())
        return agent["name"] if agent else username

    def add(self, username: str, password: str, roles: list[str], actor: str, *,
            name: str = "", projects: list[str] = (), locale: str | None = None,
            agent: str | None = None, teams: list[str] = ()) -> dict:
        username = (username or "").strip().lower()
        if not _USERNAME.match(username):
            raise ValidationError(N_("username"), N_("use 2–32 lowercase letters, digits, '.', '_' or '-'"))
        doc = self._checked({"roles": list(roles), "projects": list(projects),
                             "locale": locale or self.fw.default_locale(), "agent": agent,
                             "teams": list(teams)})
        name = validate.text(name, N_("name"), validate.NAME_LIMIT)
        doc.update({"id": username, "username": username, "name": name or username,
                    "password_hash": hash_password(check_password(password)), "disabled": False,
                    "created_at": now_iso()})
        with self.fw.store.transaction(CORE, actor, "user.add") as tx:
            if tx.get("users", username):
                raise Conflict(N_("user {username!r} already exists"), username=username)
            tx.insert("users", doc)
        return doc

    def add_many(self, docs: list[dict], actor: str) -> None:
        """Store users prepared with `prepare()` in one commit (the demo uses this)."""
        with self.fw.store.transaction(CORE, actor, "user.add") as tx:
            for doc in docs:
                if tx.get("users", doc["id"]):
                    raise Conflict(N_("user {username!r} already exists"), username=doc["id"])
            tx.insert_many("users", docs)

    def prepare(self, username: str, password_hash: str, roles, projects, name: str,
                locale: str, agent: str | None = None, teams=()) -> dict:
        doc = self._checked({"roles": list(roles), "projects": list(projects), "locale": locale,
                             "agent": agent, "teams": list(teams)})
        doc.update({"id": username, "username": username,
                    "name": validate.text(name, N_("name"), validate.NAME_LIMIT),
                    "password_hash": password_hash, "disabled": False, "created_at": now_iso()})
        return doc

    def update(self, username: str, actor: str, **changes) -> dict:
        """Change roles, projects, locale, agent link, the teams led or name."""
        user = self.get(username)
        merged = self._checked({k: changes.get(k, user.get(k))
                                for k in ("roles", "projects", "locale", "agent", "teams")})
        if "name" in changes:
            merged["name"] = validate.text(changes["name"], N_("name"), validate.NAME_LIMIT, required=True)
        with self.fw.store.transaction(CORE, actor, "user.update") as tx:
            return tx.update("users", username, merged)

    def set_password(self, username: str, password: str, actor: str) -> None:
        self.get(username)
        hashed = hash_password(check_password(password))
        with self.fw.store.transaction(CORE, actor, "user.passwd") as tx:
            tx.update("users", username, {"password_hash": hashed})

    def set_disabled(self, username: str, disabled: bool, actor: str) -> dict:
        self.get(username)
        with self.fw.store.transaction(CORE, actor, "user.disable" if disabled else "user.enable") as tx:
            return tx.update("users", username, {"disabled": disabled})

    def authenticate(self, username: str, password: str) -> dict | None:
        """The user if the password matches and the account is enabled; None otherwise."""
        user = self.find((username or "").strip().lower())
        if user is None:
            verify_password(_dummy_hash(), password)  # same work for unknown users
            return None
        if not verify_password(user["password_hash"], password) or user["disabled"]:
            return None
        return user

    def _checked(self, doc: dict) -> dict:
        roles = doc["roles"]
        if not roles:
            raise ValidationError(N_("roles"), N_("give at least one role"))
        for role in roles:
            validate.choice(role, ROLES, N_("roles"))
        projects = doc["projects"]
        for slug in projects:
            if slug != ALL_PROJECTS:
                self.fw.projects.get(slug)
        if "client" in roles and (len(projects) != 1 or projects == [ALL_PROJECTS]):
            raise ValidationError(N_("projects"), N_("a client login sees exactly one project"))
        if "admin" not in roles and not projects:
            raise ValidationError(N_("projects"), N_("give at least one project"))
        validate.choice(doc["locale"], LOCALES, N_("language"))
        if doc.get("agent"):
            self.fw.agents.get(doc["agent"])
        elif "agent" in roles:
            raise ValidationError(N_("agent"), N_("an agent login must be linked to an agent"))
        doc["teams"] = sorted(set(doc.get("teams") or ()))
        teams = self.fw.store.table(CORE, "teams")
        for team in doc["teams"]:
            if team not in teams:
                raise ValidationError(N_("teams"), N_("no team {team!r}"), team=team)
            if ALL_PROJECTS not in projects and teams[team]["project"] not in projects:
                raise ValidationError(N_("teams"), N_("{team} is in a project this user does not see"),
                                      team=team)
        return doc

    def leading(self, project: str, team: str) -> list[dict]:
        """The users who lead *team* of *project*."""
        key = f"{project}.{team}"
        return [u for u in self.all() if key in (u.get("teams") or ())]


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not-a-real-password")
