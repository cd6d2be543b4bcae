"""Each team leader's monthly service-quality report (月度服务质量报告), due to the supervisor by
a day of the month (default the 22nd): waiting for the leader until handed in, and for the
supervisor once the day passed without it. One report per leader and month (table ``reports``);
handing it in again replaces the text until the month is over."""

from __future__ import annotations

from floorwalker.core import N_, validate

from . import records
from .config import NAME

TABLE = "reports"


def _id(month: str, username: str) -> str:
    return f"{month}:{username}"


def of_month(fw, project: dict, month: str) -> dict[str, dict]:
    """Leader username → the report handed in for *month*."""
    docs = fw.store.table(records.key(fw, project["slug"]), TABLE).values()
    return {d["leader"]: d for d in docs if d["month"] == month}


def hand_in(fw, project: dict, month: str, text, user: dict) -> dict:
    month = validate.month(month)
    text = validate.text(text, N_("Service-quality report"), records.TEXT_LIMIT, required=True)
    # the floor's clock, as every time the floor reads (a report after the due day is late)
    doc = {"id": _id(month, user["username"]), "month": month, "leader": user["username"], "text": text,
           "submitted_at": fw.projects.now(project).isoformat(timespec="seconds"), "dated": None}
    with fw.store.transaction(records.key(fw, project["slug"]), user["username"], f"{NAME}.report") as tx:
        if tx.get(TABLE, doc["id"]):
            return tx.update(TABLE, doc["id"], doc)
        return tx.insert(TABLE, doc)


def leaders(fw, project: dict) -> list[str]:
    """The team leaders (logins) who lead a team of the project."""
    return sorted({u["username"] for t in fw.teams.of(project["slug"]) for u in fw.users.leading(project["slug"], t["slug"])
                   if not u.get("disabled")})


def due_day(fw, project: dict, month: str) -> str:
    return f"{month}-{fw.projects.settings(project, NAME)['report_due_day']:02d}"


def missing(fw, project: dict, month: str) -> list[str]:
    """The leaders who have not handed in *month*'s report."""
    handed = of_month(fw, project, month)
    return [u for u in leaders(fw, project) if u not in handed]


def late(fw, project: dict, month: str) -> list[str]:
    """The leaders who handed in *month*'s report after its due day."""
    due = due_day(fw, project, month)
    return sorted(u for u, d in of_month(fw, project, month).items() if d["submitted_at"][:10] > due)
