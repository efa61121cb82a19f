"""`/nc review`: the next management review, its pack in figures, and its forms (plan it,
record its decisions). Quality leads only; the pack file goes out like `/nc export`'s."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.domain.errors import NotAllowed
from bot.domain.review import period_start
from bot.forms.ids import view_id_of
from bot.forms.review import ReviewButton, ReviewRef, parse_decision, parse_plan
from bot.forms.state import FormErrors, state_of
from bot.handlers.common import actor_for, local_today, save_from_modal, user_of, workspace_for
from bot.handlers.errors import reported_after_ack
from bot.handlers.exports import upload_to_dm
from bot.ids import ActionId, Block, View
from bot.process.deps import Deps
from bot.queries import review_plan
from bot.queries.export import Period
from bot.queries.review import review_figures
from bot.reports.review import render_html
from bot.reports.review_sections import people_shown
from bot.services import review as service
from bot.services.permissions import Actor, leads_only
from bot.views import review as views
from storage.models import ManagementReview, Workspace


def _lead(deps: Deps, client: WebClient, body: dict[str, Any]) -> tuple[Workspace, Actor]:
    workspace = workspace_for(deps, body)
    actor = actor_for(deps, client, workspace, user_of(body))
    if not actor.is_lead:
        raise NotAllowed(leads_only(actor.terms, "run the management review"))
    return workspace, actor


def _page(deps: Deps, session: Session, workspace: Workspace, today: date) -> views.ReviewPage:
    """The next review and its pack: since the previous held review (or 12 months) to it."""
    upcoming = review_plan.next_review(session=session, workspace_id=workspace.id)
    if upcoming is not None:
        start, end = upcoming.period_start_date, upcoming.planned_date
    else:
        last = review_plan.last_held(session=session, workspace_id=workspace.id)
        start, end = period_start(last.planned_date if last else None, today), today
    figures = review_figures(
        session=session,
        workspace=workspace,
        tz=deps.timezone_of(workspace),
        period=Period(start, end),
        today=today,
        lead_ids=frozenset(workspace.lead_ids or deps.settings.admin_ids),
    )
    return views.ReviewPage(upcoming, (start, end), figures, today)


def show_review(deps: Deps, body: dict[str, Any], client: WebClient) -> tuple[str, list[Any]]:
    """The private answer to `/nc review`."""
    workspace, actor = _lead(deps, client, body)
    today = local_today(deps, workspace, actor.user_id, deps.clock.now())
    with deps.db.reading() as session:
        page = _page(deps, session, workspace, today)
    return views.review_text(page), views.review_blocks(page)


def send_pack(deps: Deps, client: WebClient, workspace: Workspace, user_id: str) -> None:
    """Render the pack as HTML and upload it to the lead's DM, as `/nc export` does."""
    today = local_today(deps, workspace, user_id, deps.clock.now())
    with deps.db.reading() as session:
        page = _page(deps, session, workspace, today)
    names = deps.directory.names(client, workspace.team_id, people_shown(page.figures))
    upload_to_dm(
        client,
        user_id,
        content=render_html(page.figures, names).encode(),
        filename=f"keel-management-review-{page.period[1].isoformat()}.html",
        title="Keel management review pack",
        comment="Here is the management review pack: open it in a browser to read or print.",
    )


def _review(deps: Deps, workspace: Workspace, review_id: int) -> ManagementReview:
    with deps.db.reading() as session:
        return review_plan.get(session=session, workspace_id=workspace.id, review_id=review_id)


def register(app: App, deps: Deps) -> None:
    @app.action(ActionId.PLAN_REVIEW)
    @reported_after_ack
    def plan_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        button = ReviewButton.read(action)
        workspace, actor = _lead(deps, client, body)
        review = _review(deps, workspace, button.value) if button.value else None
        today = local_today(deps, workspace, actor.user_id, deps.clock.now())
        client.views_open(
            trigger_id=body["trigger_id"], view=views.plan_form(review, today, actor.terms)
        )

    @app.action(ActionId.RECORD_DECISIONS)
    @reported_after_ack
    def decisions_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        button = ReviewButton.read(action)
        workspace, actor = _lead(deps, client, body)
        if button.value is None:
            raise NotAllowed("Plan the review first: decisions belong to a planned review.")
        review = _review(deps, workspace, button.value)
        today = local_today(deps, workspace, actor.user_id, deps.clock.now())
        client.views_open(trigger_id=body["trigger_id"], view=views.decision_form(review, today))

    @app.action(ActionId.SHARE_REVIEW_PACK)
    @reported_after_ack
    def share_button(ack: Ack, body: dict[str, Any], client: WebClient, respond: Any) -> None:
        ack()
        workspace, actor = _lead(deps, client, body)
        threading.Thread(
            target=send_pack, args=(deps, client, workspace, actor.user_id), daemon=True
        ).start()
        respond(
            text="Preparing the management review pack… Keel will send it to you here in a "
            "direct message.",
            response_type="ephemeral",
            replace_original=False,
        )

    @app.view(View.PLAN_REVIEW)
    def save_plan(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        now = deps.clock.now()
        today = local_today(deps, workspace, actor.user_id, now)

        def work(session: Session) -> None:
            ReviewRef.load(view.get("private_metadata"))
            fields = parse_plan(state_of(view), today=today)
            service.plan(session=session, workspace=workspace, actor=actor, fields=fields, now=now)

        save_from_modal(deps, ack, error_block=Block.REVIEW_DATE, work=work)

    @app.view(View.REVIEW_DECISION)
    def save_decision(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        now = deps.clock.now()
        today = local_today(deps, workspace, actor.user_id, now)

        def work(session: Session) -> None:
            review_id = ReviewRef.load(view.get("private_metadata")).review
            if review_id is None:
                raise FormErrors({})
            review = review_plan.get(
                session=session, workspace_id=workspace.id, review_id=review_id, for_update=True
            )
            fields = parse_decision(state_of(view), today=today, review_date=review.planned_date)
            service.record_decision(
                session=session,
                workspace=workspace,
                review=review,
                fields=fields,
                actor=actor,
                today=today,
                now=now,
                view_id=view_id_of(view),
            )

        save_from_modal(deps, ack, error_block=Block.DECISION_TEXT, work=work)
