"""Internal audits: `/nc audits`, `/nc AUD-n`, `/nc auditors`, their buttons and forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.domain.dates import readable_date
from bot.domain.errors import NotFound
from bot.domain.terms import terms_for
from bot.domain.text import escape
from bot.forms import audits as forms
from bot.handlers.common import (
    actor_for,
    known_processes,
    local_today,
    save_from_modal,
    user_of,
    workspace_for,
)
from bot.handlers.errors import reported_after_ack
from bot.handlers.home import publish_home
from bot.ids import ActionId, Block, View
from bot.process.deps import Deps
from bot.queries import audits as queries
from bot.services import audit_reports, audits, notify
from bot.services.permissions import Actor, require_lead
from bot.views import audit_forms
from bot.views import audits as views
from storage.models import Audit, Workspace


def show_programme(deps: Deps, body: dict[str, Any], client: WebClient) -> tuple[str, list[Any]]:
    workspace = workspace_for(deps, body)
    user_id = user_of(body)
    today = local_today(deps, workspace, user_id, deps.clock.now())
    with deps.db.reading() as session:
        programme = queries.programme(session=session, workspace_id=workspace.id, today=today)
    can_plan = deps.directory.is_lead(client, workspace, user_id)
    return views.programme_text(programme), views.programme_blocks(
        programme, today, can_plan=can_plan
    )


def show_audit(
    deps: Deps, body: dict[str, Any], client: WebClient, number: int
) -> tuple[str, list[Any]]:
    workspace = workspace_for(deps, body)
    user_id = user_of(body)
    today = local_today(deps, workspace, user_id, deps.clock.now())
    with deps.db.reading() as session:
        audit = queries.get_by_number(session=session, workspace_id=workspace.id, number=number)
        item = queries.detail(session=session, workspace_id=workspace.id, audit=audit)
    can_manage = deps.directory.is_lead(client, workspace, user_id)
    text = f"{views.reference(audit)} {item.subject}"
    return text, views.detail_blocks(
        item, today, can_manage=can_manage, terms=terms_for(workspace.system_name)
    )


def set_auditors(deps: Deps, body: dict[str, Any], client: WebClient, user_ids: list[str]) -> str:
    workspace = workspace_for(deps, body)
    actor = actor_for(deps, client, workspace, user_of(body))
    with deps.db.transaction() as session:
        kept = audits.set_qualified(
            session=session,
            workspace_id=workspace.id,
            user_ids=user_ids,
            actor=actor,
            now=deps.clock.now(),
        )
        named = queries.qualified(
            session=session, workspace_id=workspace.id, on=deps.clock.now().date()
        ).competence
    names = ", ".join(f"<@{user}>" for user in kept)
    if named is not None:  # the qualification named in /nc training (issue 13)
        return (
            f"Qualified internal auditors: {names}, and whoever holds a valid "
            f"{escape(named)}. Only they can lead an audit."
        )
    return f"Qualified internal auditors: {names}. Only they can lead an audit."


def _audit_id(action: dict[str, Any]) -> int:
    raw = str(action.get("value", ""))
    if not (raw.isascii() and raw.isdigit()):
        raise NotFound("That audit is not in Keel any more.")
    return int(raw)


def register(app: App, deps: Deps) -> None:
    def load(body: dict[str, Any], action: dict[str, Any]) -> tuple[Workspace, Audit]:
        workspace = workspace_for(deps, body)
        with deps.db.reading() as session:
            audit = queries.get(
                session=session, workspace_id=workspace.id, audit_id=_audit_id(action)
            )
        return workspace, audit

    @app.action(ActionId.PLAN_AUDIT)
    @reported_after_ack
    def plan_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        workspace = workspace_for(deps, body)
        require_lead(actor_for(deps, client, workspace, user_of(body)), "plan audits")
        view = audit_forms.plan_form(known_processes(deps, workspace))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(ActionId.START_AUDIT)
    @reported_after_ack
    def start_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Any
    ) -> None:
        ack()
        workspace, audit = load(body, action)
        actor = actor_for(deps, client, workspace, user_of(body))
        today = local_today(deps, workspace, actor.user_id, deps.clock.now())
        with deps.db.transaction() as session:
            fresh = queries.get(session=session, workspace_id=workspace.id, audit_id=audit.id)
            audits.start(
                session=session, audit=fresh, actor=actor, today=today, now=deps.clock.now()
            )
        if respond.response_url is None:  # pressed on the Home tab: show it running
            publish_home(deps, client, workspace, actor.user_id)
            return
        respond(
            text=f"{views.reference(audit)} is in progress: add findings as you go, then record "
            "the report.",
            response_type="ephemeral",
            replace_original=False,
        )

    def open_form(
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        build: Callable[[Audit], Any],
        check: Callable[[Actor, Audit], None],
    ) -> None:
        workspace, audit = load(body, action)
        check(actor_for(deps, client, workspace, user_of(body)), audit)
        client.views_open(trigger_id=body["trigger_id"], view=build(audit))

    def party(doing: str) -> Callable[[Actor, Audit], None]:
        return lambda actor, audit: audits.require_party(actor, audit, doing)

    def lead(doing: str) -> Callable[[Actor, Audit], None]:
        return lambda actor, _audit: require_lead(actor, doing)

    buttons: list[tuple[ActionId, Callable[[Audit], Any], Callable[[Actor, Audit], None]]] = [
        (ActionId.POSTPONE_AUDIT, audit_forms.postpone_form, party("postpone it")),
        (ActionId.ADD_FINDING, audit_forms.finding_form, party("add findings")),
        (ActionId.RECORD_REPORT, audit_forms.report_form, party("record the report")),
        (
            ActionId.CANCEL_AUDIT,
            lambda a: audit_forms.reason_form(a, closing=False),
            lead("cancel audits"),
        ),
        (
            ActionId.CLOSE_AUDIT,
            lambda a: audit_forms.reason_form(a, closing=True),
            lead("close audits"),
        ),
    ]

    def opener(
        build: Callable[[Audit], Any], check: Callable[[Actor, Audit], None]
    ) -> Callable[..., None]:
        # A closure, not default arguments: Bolt fills a listener's arguments by name.
        def listener(
            ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
        ) -> None:
            ack()
            open_form(body, action, client, build, check)

        return listener

    for action_id, build, check in buttons:
        app.action(action_id)(reported_after_ack(opener(build, check)))

    @app.view(View.PLAN_AUDIT)
    def save_plan(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        now = deps.clock.now()
        today = local_today(deps, workspace, actor.user_id, now)

        def work(session: Session) -> None:
            plan = forms.parse_plan(
                view["state"]["values"],
                today=today,
                working_days=workspace.working_days,
                is_lead=actor.is_lead,
                terms=actor.terms,
            )
            planned = audits.plan(
                session=session, workspace_id=workspace.id, plan=plan, actor=actor, now=now
            )
            audit = planned.audit
            planned_for = readable_date(audit.planned_date, today)
            text = f"{views.reference(audit)} is planned for {planned_for}."
            text += "".join(f"\n:warning: {warning}" for warning in planned.warnings)
            if planned.suggested:
                names = ", ".join(f"<@{person}>" for person in planned.suggested)
                text += f"\nAudited least in the last 12 months: {names}."
            notify.dm(
                session=session,
                workspace_id=workspace.id,
                users=[actor.user_id],
                text=text,
                now=now,
            )
            others = {audit.lead_auditor_id, *audit.auditor_ids, audit.auditee_id} - {
                None,
                actor.user_id,
            }
            notify.dm(
                session=session,
                workspace_id=workspace.id,
                users=sorted(p for p in others if p),
                text=f"<@{actor.user_id}> planned the internal audit {views.reference(audit)} "
                f"for {readable_date(audit.planned_date, today)}, with you in it: `/nc "
                f"{views.reference(audit)}` shows it.",
                now=now,
            )

        save_from_modal(deps, ack, error_block=None, work=work)

    def save_about_audit(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        change: Callable[[Session, Workspace, Audit, Actor], None],
        error_block: str | None,
    ) -> None:
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))

        def work(session: Session) -> None:
            meta = forms.AuditMetadata.load(view.get("private_metadata"))
            audit = queries.get(session=session, workspace_id=workspace.id, audit_id=meta.audit_id)
            change(session, workspace, audit, actor)

        save_from_modal(deps, ack, error_block=error_block, work=work)

    def today_of(workspace: Workspace, actor: Actor) -> Any:
        return local_today(deps, workspace, actor.user_id, deps.clock.now())

    @app.view(View.POSTPONE_AUDIT)
    def save_postpone(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        def change(session: Session, workspace: Workspace, audit: Audit, actor: Actor) -> None:
            postponement = forms.parse_postponement(
                view["state"]["values"],
                today=today_of(workspace, actor),
                current=audit.planned_date,
                working_days=workspace.working_days,
            )
            audits.postpone(
                session=session,
                audit=audit,
                postponement=postponement,
                actor=actor,
                now=deps.clock.now(),
            )

        save_about_audit(ack, body, view, client, change, error_block=Block.REASON)

    @app.view(View.CANCEL_AUDIT)
    def save_cancel(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        def change(session: Session, workspace: Workspace, audit: Audit, actor: Actor) -> None:
            reason = forms.parse_reason(view["state"]["values"])
            audits.cancel(
                session=session, audit=audit, reason=reason, actor=actor, now=deps.clock.now()
            )

        save_about_audit(ack, body, view, client, change, error_block=Block.REASON)

    @app.view(View.CLOSE_AUDIT)
    def save_close(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        def change(session: Session, workspace: Workspace, audit: Audit, actor: Actor) -> None:
            reason = forms.parse_reason(view["state"]["values"])
            audits.close(
                session=session, audit=audit, reason=reason, actor=actor, now=deps.clock.now()
            )

        save_about_audit(ack, body, view, client, change, error_block=Block.REASON)

    @app.view(View.ADD_FINDING)
    def save_finding(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        def change(session: Session, workspace: Workspace, audit: Audit, actor: Actor) -> None:
            finding = forms.parse_finding(view["state"]["values"])
            audit_reports.add_finding(
                session=session,
                workspace=workspace,
                audit=audit,
                finding=finding,
                actor=actor,
                today=today_of(workspace, actor),
                now=deps.clock.now(),
            )

        save_about_audit(ack, body, view, client, change, error_block=Block.EVIDENCE)

    @app.view(View.RECORD_REPORT)
    def save_report(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        def change(session: Session, workspace: Workspace, audit: Audit, actor: Actor) -> None:
            report = forms.parse_report(view["state"]["values"], criteria=audit.clauses)
            audit_reports.record_report(
                session=session,
                audit=audit,
                report=report,
                actor=actor,
                today=today_of(workspace, actor),
                now=deps.clock.now(),
            )

        save_about_audit(ack, body, view, client, change, error_block=Block.CONCLUSION)
