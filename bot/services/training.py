"""What `/nc training` changes, with who may change it: a person logs their own completions;
quality leads log them for others, add competences and roles, and name the competence
that qualifies an internal auditor."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.domain.dates import readable_date
from bot.domain.errors import NotAllowed
from bot.domain.text import escape, plural
from bot.forms.competence import CompetenceForm, CompletionForm, RoleForm
from bot.forms.state import FormErrors
from bot.ids import Block
from bot.queries import training as queries
from bot.queries.people import known as known_profiles
from bot.queries.refresher_digest import refresher_keys
from bot.services import competence, notify, outbox, settings_service
from bot.services.competence import get_competence
from bot.services.permissions import Actor, require_lead
from storage.models import Competence, Completion, Role


def log(
    *,
    session: Session,
    workspace_id: int,
    actor: Actor,
    form: CompletionForm,
    today: date,
    now: datetime,
) -> Completion:
    """Keep a completion. Whoever logs it is recorded as who confirmed it: a person logging
    their own completion declares it themselves (`confirmed_by` is the holder), a quality
    lead logging one for someone else confirms it. Only quality leads log for others."""
    holder = form.person or actor.user_id
    if holder != actor.user_id:
        require_lead(actor, "log a completion for someone else")
        profile = known_profiles(session=session, workspace_id=workspace_id).get(holder)
        if profile is not None and (profile.is_bot or profile.deleted):
            what = "a bot" if profile.is_bot else "deactivated"
            raise FormErrors({Block.PERSON.value: f"<@{holder}> is {what}: choose a person."})
    earlier = queries.completion_ids(
        session=session, workspace_id=workspace_id, user_id=holder, competence_id=form.competence_id
    )
    completion = competence.log_completion(
        session=session,
        workspace_id=workspace_id,
        user_id=holder,
        competence_id=form.competence_id,
        completed=form.completed,
        evidence=form.evidence,
        confirmed_by=actor.user_id,
        now=now,
    )
    _confirm(session, workspace_id, actor, completion, today, now)
    if earlier:
        # Refresher lines about the earlier completions in today's digests tick off.
        outbox.enqueue(
            session=session,
            workspace_id=workspace_id,
            kind=outbox.OutboxKind.UPDATE_DIGESTS,
            payload={"keys": [key for cid in earlier for key in refresher_keys(cid)]},
            now=now,
        )
    return completion


def _confirm(
    session: Session,
    workspace_id: int,
    actor: Actor,
    completion: Completion,
    today: date,
    now: datetime,
) -> None:
    """Tell whoever logged it what was kept; the holder too when a lead logged it for them."""
    name = escape(get_competence(session, workspace_id, completion.competence_id).name)
    what = f"*{name}*, done {readable_date(completion.completed_date, today)}"
    what += (
        f", valid until {readable_date(completion.expiry_date, today)}"
        if completion.expiry_date
        else ", valid for good"
    )
    holder = completion.user_id
    if holder == actor.user_id:
        text = f"Logged your completion of {what}."
    else:
        text = f"Logged <@{holder}>'s completion of {what}, confirmed by you."
        notify.dm(
            session=session,
            workspace_id=workspace_id,
            users=[holder],
            text=f"<@{actor.user_id}> logged your completion of {what}. `/nc training` shows "
            "where you stand.",
            now=now,
        )
    _tell(session, workspace_id, actor, text, now)


def add_competence(
    *, session: Session, workspace_id: int, actor: Actor, form: CompetenceForm, now: datetime
) -> Competence:
    require_lead(actor, "add competences")
    if queries.competence_exists(session=session, workspace_id=workspace_id, name=form.name):
        raise NotAllowed(f"There is a competence called {form.name} already.")
    added = competence.add_competence(
        session=session,
        workspace_id=workspace_id,
        name=form.name,
        kind=form.kind,
        validity_months=form.validity_months,
        actor_id=actor.user_id,
        now=now,
    )
    months = form.validity_months
    valid = f"valid for {plural(months, 'month')}" if months else "valid for good"
    _tell(
        session,
        workspace_id,
        actor,
        f"Added the competence *{escape(added.name)}* ({form.kind.label.lower()}, {valid}).",
        now,
    )
    return added


def add_role(
    *, session: Session, workspace_id: int, actor: Actor, form: RoleForm, now: datetime
) -> Role:
    """A role with its members and the competences it requires."""
    require_lead(actor, "add roles")
    if queries.role_exists(session=session, workspace_id=workspace_id, name=form.name):
        raise NotAllowed(f"There is a role called {form.name} already.")
    for competence_id in form.competence_ids:
        get_competence(session, workspace_id, competence_id)  # NotFound for a stranger's id
    role = competence.add_role(
        session=session, workspace_id=workspace_id, name=form.name, actor_id=actor.user_id, now=now
    )
    for member in form.members:
        competence.add_member(
            session=session,
            workspace_id=workspace_id,
            role_id=role.id,
            user_id=member,
            actor_id=actor.user_id,
            now=now,
        )
    for competence_id in form.competence_ids:
        competence.require(
            session=session,
            workspace_id=workspace_id,
            competence_id=competence_id,
            role_id=role.id,
            actor_id=actor.user_id,
            now=now,
        )
    members, required = len(form.members), len(form.competence_ids)
    _tell(
        session,
        workspace_id,
        actor,
        f"Added the role *{escape(role.name)}* with {plural(members, 'member')}"
        f" and {plural(required, 'required competence')}.",
        now,
    )
    return role


def set_auditor_competence(
    *,
    session: Session,
    workspace_id: int,
    actor: Actor,
    competence_id: int | None,
    now: datetime,
) -> Competence | None:
    """Name the competence whose holders qualify as internal auditors (None: the list)."""
    require_lead(actor, "choose the internal-auditor qualification")
    named = get_competence(session, workspace_id, competence_id) if competence_id else None
    settings_service.update_settings(
        session=session,
        workspace_id=workspace_id,
        changes={"auditor_competence_id": competence_id},
        actor_id=actor.user_id,
        now=now,
    )
    if named is None:
        text = (
            "No competence qualifies internal auditors now: those listed with `/nc auditors` "
            "lead audits (anyone, while the list is empty)."
        )
    else:
        text = (
            f"People holding a valid *{escape(named.name)}* may now lead internal audits, as "
            "well as the auditors listed with `/nc auditors`."
        )
    _tell(session, workspace_id, actor, text, now)
    return named


def _tell(session: Session, workspace_id: int, actor: Actor, text: str, now: datetime) -> None:
    notify.dm(session=session, workspace_id=workspace_id, users=[actor.user_id], text=text, now=now)
