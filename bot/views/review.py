"""`/nc review` as a quality lead sees it: the next management review, a few figures of its
pack, and the forms to plan it and record its decisions (ISO 9001 9.3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.dates import readable_date
from bot.domain.review import DecisionCategory, review_reference
from bot.domain.terms import DEFAULT_TERMS, Terms
from bot.domain.text import plural, user_mention
from bot.forms.review import DECISION_MAX, ReviewRef
from bot.ids import ActionId
from bot.ids import Block as BlockId
from bot.ids import View as ViewId
from bot.queries.review import ReviewFigures
from bot.views.common import context, option, plain, section
from bot.views.inputs import date_input, form_modal, select_input, text_input
from storage.models import ManagementReview

ATTENDEES_NAMED = 10


@dataclass(frozen=True)
class ReviewPage:
    """What `/nc review` shows: the review to come (None: none planned), its period, figures."""

    review: ManagementReview | None
    period: tuple[date, date]
    figures: ReviewFigures
    today: date


def _key_figures(f: ReviewFigures) -> str:
    raised = sum(sum(months.values()) for months in f.monthly.values())
    open_review = sum(1 for a in f.review_actions if a.status == "open")
    on_track = sum(1 for o in f.objectives if o.standing == "on track")
    ncs = plural(f.nonconformities, "nonconformity", "nonconformities")
    overdue = plural(f.overdue_actions, "action")
    lines = [
        f"• {plural(raised, 'record')} raised, of which {ncs}",
        f"• {plural(f.complaints, 'customer complaint')} "
        f"({f.complaints_before} in the period before)",
        f"• {plural(f.open_records, 'record')} open now, {overdue} overdue",
        f"• {on_track} of {plural(len(f.objectives), 'objective')} on track",
        f"• {plural(f.audits, 'internal audit')} held in the period",
        f"• {plural(open_review, 'action')} from earlier reviews still open",
    ]
    if "ISO 45001" in f.standards:
        misses = plural(f.near_misses, "near miss", "near misses")
        lines.append(f"• {plural(f.incidents, 'incident')} and {misses}")
    return "\n".join(lines)


def review_blocks(page: ReviewPage) -> list[Block]:
    """The next review, its pack in a few figures, and what a lead can do next."""
    review, today = page.review, page.today
    start, end = page.period
    value = str(review.id) if review else "new"
    blocks: list[Block] = [HeaderBlock(text=plain("Management review"))]
    if review is None:
        blocks.append(
            section(
                "No management review is planned. Plan one: Keel builds its pack from live "
                "data for the period since the previous review."
            )
        )
    else:
        named = review.attendee_ids[:ATTENDEES_NAMED]
        more = len(review.attendee_ids) - len(named)
        people = ", ".join(user_mention(u) for u in named) + (f" and {more} more" if more else "")
        when = readable_date(review.planned_date, today)
        due = " (today)" if review.planned_date == today else ""
        if review.planned_date < today:
            due = " — the date has passed: record its decisions, or plan a new date"
        blocks.append(
            section(
                f"*{review_reference(review.number)}* on *{when}*{due}\n"
                f"*Attendees* {people or 'none yet'}"
            )
        )
    blocks.append(
        context(
            f"The pack covers {readable_date(start, today)} to {readable_date(end, today)}: "
            "since the previous review held, or the last 12 months if none was."
        )
    )
    blocks.append(DividerBlock())
    blocks.append(section(f"*The pack in figures*\n{_key_figures(page.figures)}"))
    buttons = [
        ButtonElement(
            text=plain("Plan review" if review is None else "Change date or attendees"),
            action_id=ActionId.PLAN_REVIEW,
            value=value,
            style="primary" if review is None else None,
        ),
        ButtonElement(
            text=plain("Share the pack"), action_id=ActionId.SHARE_REVIEW_PACK, value=value
        ),
    ]
    if review is not None and review.planned_date <= today:
        buttons.append(
            ButtonElement(
                text=plain("Record decisions"),
                action_id=ActionId.RECORD_DECISIONS,
                value=value,
                style="primary",
            )
        )
    blocks.append(ActionsBlock(block_id=BlockId.REVIEW_BUTTONS, elements=buttons))
    return blocks


def review_text(page: ReviewPage) -> str:
    if page.review is None:
        return "No management review is planned."
    return f"Management review on {readable_date(page.review.planned_date, page.today)}"


def plan_form(review: ManagementReview | None, today: date, terms: Terms = DEFAULT_TERMS) -> View:
    """Plan review: the day and who attends."""
    blocks: list[Block] = [
        date_input(
            BlockId.REVIEW_DATE, "Date of the review", review.planned_date if review else None
        ),
        InputBlock(
            block_id=BlockId.ATTENDEES,
            label=plain("Attendees"),
            hint=plain("Top management and the owners of the main processes."),
            element=UserMultiSelectElement(
                action_id=ActionId.INPUT,
                initial_users=list(review.attendee_ids) if review else None,
            ),
        ),
        context(f"Keel reminds the {terms.leads} in their daily digest as the day comes."),
    ]
    meta = ReviewRef(review=review.id if review else None).dump()
    return form_modal(ViewId.PLAN_REVIEW, "Plan review", "Save", meta, blocks)


def decision_form(review: ManagementReview, today: date) -> View:
    """Record decisions: one output at a time (ISO 9001 9.3.3), optionally an action."""
    categories = [option(c.label, c.value) for c in DecisionCategory]
    blocks: list[Block] = [
        select_input(BlockId.DECISION_CATEGORY, "Kind of output", categories),
        text_input(
            BlockId.DECISION_TEXT,
            "What the review decided",
            multiline=True,
            max_length=DECISION_MAX,
        ),
        InputBlock(
            block_id=BlockId.OWNER,
            label=plain("Action owner"),
            optional=True,
            element=UserSelectElement(action_id=ActionId.INPUT),
        ),
        date_input(
            BlockId.DUE_DATE,
            "Action due date",
            None,
            optional=True,
            hint="With an owner, the decision becomes an action tracked like any other.",
        ),
        date_input(
            BlockId.NEXT_REVIEW_DATE,
            "Date of the next review",
            None,
            optional=True,
            hint="Fill it in with the last decision: the review is then marked held.",
        ),
    ]
    meta = ReviewRef(review=review.id).dump()
    return form_modal(ViewId.REVIEW_DECISION, "Record decision", "Save", meta, blocks)
