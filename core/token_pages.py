"""The user's API tokens on the account pages (``/account/tokens``): make one — shown once, on
the page that made it —, see each with its scope, expiry and last use, revoke one (asked first).
A token acts as its user, so anyone signed in may make tokens for themselves; an administrator
also sees and revokes everyone's."""

from __future__ import annotations

from starlette.responses import Response

from .errors import FloorwalkerError
from .page import Page, page
from .tokens import DAYS, MOST_DAYS, Tokens
from .users import ALL_PROJECTS, in_scope


def _is_admin(p: Page) -> bool:
    return "admin" in (p.user.get("roles") or ())


def tokens_page(p: Page, made: str | None = None, error: str | None = None, typed: dict | None = None,
                status: int = 200) -> Response:
    tokens = Tokens(p.fw).all(None if _is_admin(p) else p.user["username"])
    projects = [d for d in p.fw.projects.all() if in_scope(p.user, d["slug"])]
    names = {d["slug"]: d.get("name") or d["client"] for d in projects}
    return p.render("tokens.html", http_status=status, tokens=tokens, made=made, error=error,
                    typed=typed or {"days": DAYS}, projects=projects, names=names, most_days=MOST_DAYS,
                    all_projects=ALL_PROJECTS, is_admin=_is_admin(p))


def create(p: Page) -> Response:
    projects = p.form.get("project") or []
    projects = projects if isinstance(projects, list) else [projects]
    typed = {"name": str(p.form.get("name", "")), "write": bool(p.form.get("write")), "projects": projects,
             "days": str(p.form.get("days", DAYS))}
    try:
        days = int(typed["days"])
    except ValueError:
        days = None
    try:
        _, secret = Tokens(p.fw).create(p.user["username"], typed["name"], p.user["username"],
                                        write=typed["write"], projects=projects, days=days)
    except FloorwalkerError as err:
        return tokens_page(p, error=err.message(p.locale), typed=typed, status=err.http_status)
    return tokens_page(p, made=secret)


def revoke(p: Page) -> Response:
    Tokens(p.fw).revoke(p.params["id"], p.user["username"], p.user)
    return p.redirect("/account/tokens")


def routes() -> list:
    post = ("POST",)
    return [page("/account/tokens", tokens_page, "signed_in"),
            page("/account/tokens", create, "signed_in", methods=post),
            page("/account/tokens/{id}/revoke", revoke, "signed_in", methods=post)]
