"""What a workspace calls its management system, in the words Keel writes: "quality leads" and
"the quality channel" by default. A workspace certified to ISO 45001 or ISO 14001 as well may
call them "HSEQ leads" and "the HSEQ channel" (a name set in /nc settings), so a near miss is
not sent to "the quality leads"."""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_NAME = "quality"
NAME_MAX = 24
# Words of letters (any script) and digits between single spaces, "-" or "/": "HSEQ", "EHS/Q",
# "health and safety". Nothing Slack's mrkdwn reads as markup, so it is written unescaped.
_NAME = re.compile(r"[^\W_]+(?:[ /-][^\W_]+)*")
# An acronym is read by its letters: "an HSEQ lead", "an SHE lead", but "a QHSE lead".
_LETTERS_READ_WITH_A_VOWEL = frozenset("AEFHILMNORSX")


@dataclass(frozen=True)
class Terms:
    """`name` as it is written mid-sentence: "quality", "HSEQ"."""

    name: str = DEFAULT_NAME

    @property
    def lead(self) -> str:
        return f"{self.name} lead"

    @property
    def leads(self) -> str:
        return f"{self.name} leads"

    @property
    def channel(self) -> str:
        return f"{self.name} channel"

    @property
    def a_lead(self) -> str:
        """ "a quality lead", "an HSEQ lead", "an environment lead"."""
        return f"{_article(self.name)} {self.lead}"

    @property
    def capital_leads(self) -> str:
        """At a sentence's start: "Quality leads", "HSEQ leads"."""
        return capitalised(self.leads)

    @property
    def capital_channel(self) -> str:
        return capitalised(self.channel)


DEFAULT_TERMS = Terms()


def terms_for(name: str | None) -> Terms:
    """A workspace's terms from its stored name (None: the default)."""
    return Terms(name) if name else DEFAULT_TERMS


def name_problem(name: str) -> str | None:
    """Why `name` cannot name the management system, or None."""
    if len(name) > NAME_MAX:
        return f"Keep the name to {NAME_MAX} characters."
    if not _NAME.fullmatch(name):
        return 'Use letters and digits, with spaces, "-" or "/" between words, e.g. HSEQ.'
    return None


def stored_name(name: str | None) -> str | None:
    """The name as the workspace keeps it: None for the default, so "Quality" stays default."""
    cleaned = " ".join((name or "").split())
    return None if not cleaned or cleaned.lower() == DEFAULT_NAME else cleaned


def _article(name: str) -> str:
    word = name.split()[0]
    if len(word) > 1 and word.isupper():
        return "an" if word[0] in _LETTERS_READ_WITH_A_VOWEL else "a"
    return "an" if word[0].lower() in "aeiou" else "a"


def capitalised(text: str) -> str:
    """ "an HSEQ lead" -> "An HSEQ lead": the first letter alone."""
    return text[:1].upper() + text[1:]
