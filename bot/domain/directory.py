"""Finding a Slack member from how a register names them: an email address, a name as
Slack shows it, or a member ID. Nothing is guessed: an unknown or ambiguous name is an error."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

_MEMBER_ID = re.compile(r"^<?@?([UW][A-Z0-9]{6,})(?:\|[^>]*)?>?$")


@dataclass(frozen=True)
class Person:
    user_id: str
    email: str | None = None
    real_name: str | None = None
    display_name: str | None = None
    deleted: bool = False


class UnknownPerson(ValueError):
    pass


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


class PeopleIndex:
    """Everyone in a workspace's directory, looked up by ID, email or name."""

    def __init__(self, people: list[Person]) -> None:
        self._ids = {person.user_id: person for person in people}
        self._emails: dict[str, set[str]] = defaultdict(set)
        self._names: dict[str, set[str]] = defaultdict(set)
        for person in people:
            if person.email:
                self._emails[_key(person.email)].add(person.user_id)
            for name in (person.real_name, person.display_name):
                if name and name.strip():
                    self._names[_key(name)].add(person.user_id)

    def find(self, text: str) -> str:
        """The member ID `text` names, or UnknownPerson with a reason a person can act on."""
        written = text.strip()
        if match := _MEMBER_ID.match(written):
            if match.group(1) in self._ids:
                return self._person(match.group(1), written)
            raise UnknownPerson(f"no member of this workspace has the ID {match.group(1)}")
        matches = self._emails.get(_key(written)) if "@" in written else None
        if matches is None:
            matches = self._names.get(_key(written), set())
        if not matches:
            return self._unknown(written)
        if len(matches) > 1:
            raise UnknownPerson(
                f"“{written}” could be {len(matches)} people; give their email address instead"
            )
        return self._person(next(iter(matches)), written)

    def _person(self, user_id: str, written: str) -> str:
        if self._ids[user_id].deleted:
            raise UnknownPerson(f"“{written}” has left this workspace (deactivated in Slack)")
        return user_id

    @staticmethod
    def _unknown(written: str) -> str:
        what = "email address" if "@" in written else "name"
        raise UnknownPerson(f"no one in this workspace has the {what} “{written}”")
