"""What people do with training sessions, and the roles that hold it by default.

Scheduling ``writes``: a team leader holds it only for the agents of the teams they lead. An
admin may give either action to other staff roles of a project (``floorwalker project allow``).
"""

from __future__ import annotations

from floorwalker.core import Action

from .records import NAME

VIEW = f"{NAME}.view"
SCHEDULE = f"{NAME}.schedule"
SUPERVISORS = ("admin", "director", "supervisor")
LEADERS = SUPERVISORS + ("team_leader",)

ACTIONS = [
    Action(VIEW, LEADERS + ("qa",), "See training sessions", "查看培训场次"),
    Action(SCHEDULE, LEADERS, "Schedule training sessions", "安排培训场次", writes=True),
]
