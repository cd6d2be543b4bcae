"""A chat transcript as the pages show it: the very messages auto-QA reads (`autoqa.parse`), so
the display and the rules never disagree on who said what, or when.

A message starts a line ``[HH:MM:SS] 客服: …`` (the agent) or ``[HH:MM:SS] 客户: …`` (the
customer), with the speaker labels, dates and the midnight rule `autoqa.parse` documents; a
stamped line of another speaker (系统: 会话已转接) is a message of nobody (speaker ``other``,
shown with its label as written); a line that starts no message continues the one before.
"""

from __future__ import annotations

from .autoqa import AGENT, CUSTOMER, OTHER, Message, parse

__all__ = ["AGENT", "CUSTOMER", "OTHER", "Message", "messages"]


def messages(text: str) -> list[Message]:
    """The messages of *text* (`autoqa.parse`); none when it holds no line of the chat form
    (a call's notes, a ticket)."""
    return parse(text)
