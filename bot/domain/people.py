"""People as Keel knows them from Slack, and who the quality leads are."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

# Profiles change rarely; time zones change when people travel. Refreshed twice a day.
PROFILE_MAX_AGE = timedelta(hours=12)


class Profile(NamedTuple):
    """What Keel needs to know of a person; `fetched_at` only once stored."""

    user_id: str
    tz: str | None
    is_bot: bool
    deleted: bool
    is_admin: bool
    fetched_at: datetime | None = None


def stale(profiles: dict[str, Profile], wanted: set[str], now: datetime) -> bool:
    """Whether any wanted person is unknown or was looked up too long ago."""
    return not all(_fresh(profiles.get(user_id), now) for user_id in wanted)


def _fresh(profile: Profile | None, now: datetime) -> bool:
    return (
        profile is not None
        and profile.fetched_at is not None
        and now - profile.fetched_at <= PROFILE_MAX_AGE
    )


def quality_leads(lead_ids: Sequence[str], everyone: Callable[[], Iterable[Profile]]) -> list[str]:
    """Quality leads are the people named (KEEL_ADMINS, `/nc leads`); until some are, the
    workspace's active Slack admins and owners act. `everyone` is asked only then."""
    if lead_ids:
        return list(lead_ids)
    return [p.user_id for p in everyone() if p.is_admin and not p.deleted and not p.is_bot]
