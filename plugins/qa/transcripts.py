"""A chat transcript as the chat platforms export it, read into messages (pure).

Each message starts a line ``[HH:MM:SS] 客服: …`` (the agent) or ``[HH:MM:SS] 客户: …`` (the
customer); a full-width colon does too, and ``agent``/``customer`` are read as 客服/客户. A line
that starts no message continues the one before (a message with a line break). Times are of
the day only: a chat that crosses midnight goes on at 00:00:05 after 23:59:50, and `seconds`
counts on from the chat's start through midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE = re.compile(r"^\s*\[(\d{1,2}):(\d{2}):(\d{2})\]\s*(客服|客户|agent|customer)\s*[:：]\s?(.*)$",
                   re.IGNORECASE)
SPEAKERS = {"客服": "agent", "agent": "agent", "客户": "customer", "customer": "customer"}
DAY = 24 * 3600


@dataclass(frozen=True)
class Message:
    time: str  # HH:MM:SS as written
    seconds: int  # since the chat's first message's midnight, through later midnights
    speaker: str  # "agent" or "customer"
    text: str


def messages(text: str) -> list[Message]:
    """The messages of *text*; none when it holds no line of the chat form (a call's notes)."""
    found: list[Message] = []
    offset = 0
    last = None
    for line in (text or "").splitlines():
        match = _LINE.match(line)
        if match is None:
            if found and line.strip():
                m = found[-1]
                found[-1] = Message(m.time, m.seconds, m.speaker, f"{m.text}\n{line.strip()}")
            continue
        h, mi, s, who, said = match.groups()
        clock = int(h) * 3600 + int(mi) * 60 + int(s)
        if last is not None and clock < last - 60:  # an earlier time of day: past midnight
            offset += DAY
        last = clock
        found.append(Message(f"{int(h):02d}:{mi}:{s}", clock + offset, SPEAKERS[who.lower()],
                             said.strip()))
    return found
