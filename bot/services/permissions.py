"""Who may do what: checked in the service, whatever button or reply asked for it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import NotAllowed
from storage.models import Action, Objective, Record


@dataclass(frozen=True)
class Actor:
    """The person acting, and whether they are a quality lead (decided by the caller)."""

    user_id: str
    is_lead: bool = False


def require_record_owner_or_lead(actor: Actor, record: Record, doing: str) -> None:
    if actor.is_lead or (record.owner_id is not None and actor.user_id == record.owner_id):
        return
    raise NotAllowed(
        f"Only the record's owner or a quality lead can {doing}"
        + ("." if record.owner_id else "; this record has no owner yet.")
    )


def require_action_party(actor: Actor, action: Action, record: Record, doing: str) -> None:
    """The action's owner, the record's owner or a quality lead."""
    if actor.is_lead or actor.user_id in (action.owner_id, record.owner_id):
        return
    raise NotAllowed(
        f"Only the action's owner (<@{action.owner_id}>), the record's owner or a quality lead "
        f"can {doing}."
    )


def require_lead(actor: Actor, doing: str) -> None:
    if not actor.is_lead:
        raise NotAllowed(f"Only a quality lead can {doing}.")


def require_objective_owner_or_lead(actor: Actor, objective: Objective) -> None:
    if actor.is_lead or actor.user_id == objective.owner_id:
        return
    raise NotAllowed(
        f"Only the objective's owner (<@{objective.owner_id}>) or a quality lead can log its "
        "values."
    )
