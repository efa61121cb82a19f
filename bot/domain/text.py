"""Text helpers for Slack: mrkdwn escaping and length limits."""

from __future__ import annotations

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    """Make user text inert in mrkdwn: `<!channel>` must never ping anyone."""
    return text.translate(_ESCAPES)


def truncate(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"


def first_line(text: str) -> str:
    """The first non-blank line of `text`, stripped; empty if there is none."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def user_mention(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else "nobody yet"


def channel_mention(channel_id: str) -> str:
    return f"<#{channel_id}>"
