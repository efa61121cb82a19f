"""The workspace's directory of people for an import: users.list with emails and names.

Email addresses need the `users:read.email` scope; without it people are still found by
name or member ID."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.domain.directory import Person


def fetch_people(client: WebClient) -> list[Person]:
    """Every member, one users.list call per 200 people."""
    people = []
    for page in client.users_list(limit=200):
        for member in page.get("members", []):
            if member.get("is_bot") or member.get("id") == "USLACKBOT":
                continue
            profile = member.get("profile") or {}
            people.append(
                Person(
                    user_id=str(member["id"]),
                    email=profile.get("email"),
                    real_name=profile.get("real_name") or member.get("real_name"),
                    display_name=profile.get("display_name") or None,
                    deleted=bool(member.get("deleted")),
                )
            )
    return people
