"""Who may do what: checked in the service, whatever button or reply asked for it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import NotAllowed
from bot.domain.terms import DEFAULT_TERMS, Terms
from storage.models import Action, Objective, Record


@dataclass(frozen=True)
class Actor:
    """The person acting, whether they are a quality lead (decided by the caller), and the
    words of their workspace, for what Keel tells them."""

    user_id: str
    is_lead: bool = False
    terms: Terms = DEFAULT_TERMS


def require_record_owner_or_lead(actor: Actor, record: Record, doing: str) -> None:
    if actor.is_lead or (record.owner_id is not None and actor.user_id == record.owner_id):
        return
    raise NotAllowed(
        f"Only the record's owner or {actor.terms.a_lead} can {doing}"
        + ("." if record.owner_id else "; this record has no owner yet.")
    )


def require_action_party(actor: Actor, action: Action, record: Record, doing: str) -> None:
    """The action's owner, the record's owner or a quality lead."""
    if actor.is_lead or actor.user_id in (action.owner_id, record.owner_id):
        return
    raise NotAllowed(
        f"Only the action's owner (<@{action.owner_id}>), the record's owner or "
        f"{actor.terms.a_lead} can {doing}."
    )


def leads_only(terms: Terms, doing: str) -> str:
    """The refusal of a lead-only command, with how leads are chosen."""
    return (
        f"Only {terms.leads} can {doing}. Leads are set with `/nc leads @name …` or "
        "KEEL_ADMINS; until then, the workspace's Slack admins and owners act as leads."
    )


def require_lead(actor: Actor, doing: str) -> None:
    if not actor.is_lead:
        raise NotAllowed(f"Only {actor.terms.a_lead} can {doing}.")


def require_objective_owner_or_lead(actor: Actor, objective: Objective) -> None:
    if actor.is_lead or actor.user_id == objective.owner_id:
        return
    raise NotAllowed(
        f"Only the objective's owner (<@{objective.owner_id}>) or {actor.terms.a_lead} can "
        "log its values."
    )
