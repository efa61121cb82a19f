"""What the Home tab reads besides the registers: the records a person raised, and the
quality lead's overview. A fixed number of statements whatever the data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.actions import ActionStatus
from bot.domain.objectives import Standing
from bot.domain.records import RecordStatus
from bot.queries import action_register, records
from bot.queries.action_register import ActionPage
from bot.queries.audits import WAITING, MyAudits, held_on, mine
from bot.queries.objectives import Overview, overviews
from bot.queries.records import REGISTERED, RecordPage
from storage.models import Action, Audit, Record

# An audit planned within this many days is "due" on the overview.
AUDIT_DUE_DAYS = 14


@dataclass(frozen=True)
class LeadOverview:
    """Counts for a quality lead, each with the command that lists them."""

    by_status: dict[RecordStatus, int] = field(default_factory=dict)
    overdue_actions: int = 0
    objectives_off_track: int = 0
    audits_due: int = 0
    audits_overdue: int = 0

    @property
    def waiting_for_triage(self) -> int:
        """New records nobody has triaged yet (no owner, no status change)."""
        return self.by_status.get(RecordStatus.NEW, 0)


def raised_by(*, session: Session, workspace_id: int, user_id: str, limit: int = 5) -> RecordPage:
    """The newest records the person raised, in any status. An anonymous record keeps no
    reporter, so it is never anyone's here."""
    conditions = (
        Record.workspace_id == workspace_id,
        Record.reporter_id == user_id,
        Record.anonymous.is_(False),
        REGISTERED,
    )
    total = int(session.scalar(select(func.count()).select_from(Record).where(*conditions)) or 0)
    records = session.scalars(
        select(Record).where(*conditions).order_by(Record.number.desc()).limit(limit)
    )
    return RecordPage(records=list(records), page=1, total=total, page_size=limit)


def lead_overview(*, session: Session, workspace_id: int, today: date) -> LeadOverview:
    """Records by status, overdue actions, objectives off track and audits due or overdue:
    five statements."""
    by_status = {
        RecordStatus(status): int(count)
        for status, count in session.execute(
            select(Record.status, func.count())
            .where(Record.workspace_id == workspace_id, REGISTERED)
            .group_by(Record.status)
        )
    }
    overdue_actions = session.scalar(
        select(func.count())
        .select_from(Action)
        .where(
            Action.workspace_id == workspace_id,
            Action.status == ActionStatus.OPEN.value,
            Action.due_date < today,
        )
    )
    off_track = sum(
        1
        for item in overviews(session=session, workspace_id=workspace_id, today=today)
        if item.standing is Standing.OFF_TRACK
    )
    waiting = session.scalars(
        select(Audit).where(
            Audit.workspace_id == workspace_id,
            Audit.status.in_(WAITING),
            Audit.planned_date <= today + timedelta(days=AUDIT_DUE_DAYS),
        )
    ).all()
    overdue_audits = sum(1 for audit in waiting if held_on(audit) < today)
    return LeadOverview(
        by_status=by_status,
        overdue_actions=int(overdue_actions or 0),
        objectives_off_track=off_track,
        audits_due=len(waiting) - overdue_audits,
        audits_overdue=overdue_audits,
    )


@dataclass(frozen=True)
class HomeData:
    """Everything one person's Home tab shows."""

    open_records: RecordPage
    measured: list[Overview]
    audits: MyAudits
    actions: ActionPage
    raised: RecordPage
    overview: LeadOverview | None


def load_home(
    *,
    session: Session,
    workspace_id: int,
    user_id: str,
    today: date,
    is_lead: bool,
    actions_shown: int,
    raised_shown: int,
) -> HomeData:
    """The Home tab's read models: about twenty statements, however much data there is."""
    return HomeData(
        open_records=records.list_open(
            session=session, workspace_id=workspace_id, user_id=user_id, page=1
        ),
        measured=overviews(
            session=session, workspace_id=workspace_id, today=today, owner_id=user_id
        ),
        audits=mine(session=session, workspace_id=workspace_id, user_id=user_id),
        actions=action_register.open_actions(
            session=session,
            workspace_id=workspace_id,
            owner_id=user_id,
            today=today,
            page=1,
            page_size=actions_shown,
        ),
        raised=raised_by(
            session=session, workspace_id=workspace_id, user_id=user_id, limit=raised_shown
        ),
        overview=(
            lead_overview(session=session, workspace_id=workspace_id, today=today)
            if is_lead
            else None
        ),
    )
