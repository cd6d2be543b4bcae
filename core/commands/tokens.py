"""``floorwalker token``: API tokens for the systems that call ``/api/v1`` (the telephony, the chat
platform, payroll). ``token create`` prints the token once, alone on its last line, so a script
can take it with ``tail -n 1``; ``token list`` shows each token's id (never the token), and
``token revoke ID`` ends it at once."""

from __future__ import annotations

import click

from ..i18n import N_
from ..tokens import DAYS, Tokens
from . import Session, format_option


@click.group()
def token():
    """API tokens: `token list`, `token create`, `token revoke`."""


@token.command("list")
@click.argument("username", required=False)
@format_option
@click.pass_obj
def list_tokens(s: Session, username, fmt):
    """List the API tokens (of USERNAME), each with its id, never the token."""
    rows = [{"id": t["id"], "user": t["user"], "name": t["name"], "write": t["write"],
             "projects": t["projects"], "expires_at": t["expires_at"], "last_used_at": t["last_used_at"] or "",
             "revoked_at": t["revoked_at"] or ""} for t in Tokens(s.fw).all(username)]
    s.show(rows, [("id", N_("id")), ("user", N_("user")), ("name", N_("name")), ("write", N_("writes")),
                  ("projects", N_("projects")), ("expires_at", N_("expires")),
                  ("last_used_at", N_("last used")), ("revoked_at", N_("revoked"))], fmt)


@token.command("create")
@click.argument("username")
@click.option("--name", required=True, help="What will use the token (the payroll export …).")
@click.option("--write", is_flag=True, help="The token may write as well as read.")
@click.option("--project", "projects", multiple=True, help="Only this project (repeatable; default: all the user sees).")
@click.option("--days", type=int, default=DAYS, show_default=True, help="Days until it expires.")
@click.pass_obj
def create(s: Session, username, name, write, projects, days):
    """Make an API token for USERNAME; it is printed once, on the last line."""
    record, secret = Tokens(s.fw).create(username, name, s.actor, write=write, projects=list(projects), days=days)
    s.say(N_("Token {id} for {user} ({scope}), expires {expires}. It is shown only now:"), id=record["id"],
          user=record["user"], scope="read+write" if record["write"] else "read", expires=record["expires_at"][:10])
    click.echo(secret)


@token.command("revoke")
@click.argument("ident", metavar="ID")
@click.pass_obj
def revoke(s: Session, ident):
    """Revoke the token ID (`floorwalker token list` shows the ids)."""
    Tokens(s.fw).revoke(ident, s.actor)
    s.say(N_("Token {id} is revoked."), id=ident)


COMMANDS = (token,)
