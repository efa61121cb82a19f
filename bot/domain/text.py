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
    if limit <= 0:
        return ""
    return text[: limit - 1].rstrip() + "…"


def split_escaped(text: str, size: int) -> list[str]:
    """Escape `text` for mrkdwn and cut it into pieces of at most `size` characters,
    never inside an entity such as `&amp;`."""
    escaped = escape(text)
    pieces = []
    while len(escaped) > size:
        cut = size
        ampersand = escaped.rfind("&", max(cut - 5, 0), cut)
        if ampersand != -1 and ";" not in escaped[ampersand:cut]:
            cut = ampersand
        pieces.append(escaped[:cut])
        escaped = escaped[cut:]
    pieces.append(escaped)
    return pieces


def first_line(text: str) -> str:
    """The first non-blank line of `text`, stripped; empty if there is none."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def user_mention(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else "nobody yet"


def plural(count: int, word: str, words: str | None = None) -> str:
    """`count` and the noun as a person writes it: "1 day", "3 days", "2 near misses"
    (pass `words` where the plural is not the word plus "s"); thousands grouped: "1,250 days"."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"
