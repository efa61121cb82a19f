"""The documents register, read-and-understood, and competence refreshers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.competence import CompetenceKind, Refresher
from bot.domain.errors import NotAllowed
from bot.forms.documents import DocumentFields, RevisionFields
from bot.queries import competence as matrix
from bot.queries import documents as register
from bot.services import competence, documents, refreshers
from storage.db import Database
from storage.models import Workspace
from tests.database.helpers import make_workspace

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday
OWNER = "UOWNER01"


def add_document(db: Database, **overrides: object) -> int:
    workspace = make_workspace(db, NOW)
    fields = {
        "reference": "PR-012",
        "title": "Control of nonconforming output",
        "version": "3",
        "owner_id": OWNER,
        "review_months": 12,
        "last_reviewed": date(2025, 11, 10),
    } | overrides
    with db.transaction() as session:
        return documents.add(
            session=session,
            workspace_id=workspace.id,
            fields=DocumentFields.model_validate(fields),
            actor_id="ULEAD",
            now=NOW,
        ).id


def test_reviewed_no_change_moves_the_due_date_by_the_interval_from_the_due_date(
    db: Database,
) -> None:
    document_id = add_document(db)
    workspace = make_workspace(db, NOW)
    late = NOW + timedelta(days=20)  # due on Tue 10 Nov 2026, reviewed on 13 Dec
    with db.transaction() as session:
        document = documents.reviewed_no_change(
            session=session,
            workspace_id=workspace.id,
            document_id=document_id,
            actor_id=OWNER,
            is_lead=False,
            now=late,
        )
        assert document.next_review_date == date(2027, 11, 10)
        assert document.last_reviewed_date == late.date()
    with db.transaction() as session:
        document = documents.reviewed_no_change(
            session=session,
            workspace_id=workspace.id,
            document_id=document_id,
            actor_id=OWNER,
            is_lead=False,
            now=late,
        )
    assert document.next_review_date == date(2028, 11, 10)


def test_only_the_owner_or_a_lead_records_a_review(db: Database) -> None:
    document_id = add_document(db)
    workspace = make_workspace(db, NOW)
    with db.transaction() as session, pytest.raises(NotAllowed):
        documents.reviewed_no_change(
            session=session,
            workspace_id=workspace.id,
            document_id=document_id,
            actor_id="USTRANGER",
            is_lead=False,
            now=NOW,
        )


def make_readers(db: Database, document_id: int) -> None:
    workspace = make_workspace(db, NOW)
    with db.transaction() as session:
        read = competence.add_competence(
            session=session,
            workspace_id=workspace.id,
            name="Has read PR-012",
            kind=CompetenceKind.DOCUMENT,
            validity_months=None,
            document_id=document_id,
            actor_id="ULEAD",
            now=NOW,
        )
        role = competence.add_role(
            session=session,
            workspace_id=workspace.id,
            name="Inspector",
            actor_id="ULEAD",
            now=NOW,
        )
        competence.add_member(
            session=session,
            workspace_id=workspace.id,
            role_id=role.id,
            user_id="UANNA001",
            actor_id="ULEAD",
            now=NOW,
        )
        competence.require(
            session=session,
            workspace_id=workspace.id,
            competence_id=read.id,
            role_id=role.id,
            actor_id="ULEAD",
            now=NOW,
        )
        competence.require(
            session=session,
            workspace_id=workspace.id,
            competence_id=read.id,
            user_id="UBEN0001",
            actor_id="ULEAD",
            now=NOW,
        )


def revise(db: Database, document_id: int, version: str, *, reread: bool) -> None:
    workspace = make_workspace(db, NOW)
    with db.transaction() as session:
        documents.revise(
            session=session,
            workspace=session.get(Workspace, workspace.id),  # type: ignore[arg-type]
            document_id=document_id,
            fields=RevisionFields(
                version=version, what_changed="Step 4 names the new role", reread_required=reread
            ),
            actor_id=OWNER,
            is_lead=False,
            now=NOW,
        )


def lines(db: Database) -> list[register.RegisterLine]:
    workspace = make_workspace(db, NOW)
    with db.reading() as session:
        return register.register(session=session, workspace_id=workspace.id)


def test_a_revision_asks_two_people_to_read_it_and_the_register_counts_them(
    db: Database,
) -> None:
    document_id = add_document(db)
    make_readers(db, document_id)
    revise(db, document_id, "4", reread=True)
    workspace = make_workspace(db, NOW)
    with db.reading() as session:
        asked = register.read_requests(session=session, workspace_id=workspace.id)
    assert sorted(asked) == ["UANNA001", "UBEN0001"]
    assert asked["UANNA001"][0].version == "4"
    (line,) = lines(db)
    assert (len(line.have_read), len(line.readers), line.not_read) == (
        0,
        2,
        ["UANNA001", "UBEN0001"],
    )
    with db.transaction() as session:
        assert documents.acknowledge(
            session=session,
            workspace_id=workspace.id,
            document_id=document_id,
            version="4",
            user_id="UANNA001",
            now=NOW,
        )
        assert not documents.acknowledge(
            session=session,
            workspace_id=workspace.id,
            document_id=document_id,
            version="4",
            user_id="UANNA001",
            now=NOW,
        )
    (line,) = lines(db)
    assert (len(line.have_read), line.not_read) == (1, ["UBEN0001"])
    revise(db, document_id, "4.1", reread=False)  # a minor revision asks nobody again
    (line,) = lines(db)
    assert (line.read_version, line.not_read) == ("4", ["UBEN0001"])


def test_with_approval_on_a_revision_waits_for_someone_other_than_its_author(
    db: Database,
) -> None:
    document_id = add_document(db)
    workspace = make_workspace(db, NOW)
    with db.transaction() as session:
        stored = session.get(Workspace, workspace.id)
        assert stored is not None
        stored.revision_approval = True
        revised = documents.revise(
            session=session,
            workspace=stored,
            document_id=document_id,
            fields=RevisionFields(version="4", what_changed="New form"),
            actor_id=OWNER,
            is_lead=False,
            now=NOW,
        )
    assert revised.waiting_for_approval
    assert lines(db)[0].document.version == "3"
    with db.transaction() as session, pytest.raises(NotAllowed, match="other than its author"):
        documents.approve(
            session=session,
            workspace_id=workspace.id,
            revision_id=revised.revision.id,
            approver_id=OWNER,
            now=NOW,
        )
    with db.transaction() as session:
        documents.approve(
            session=session,
            workspace_id=workspace.id,
            revision_id=revised.revision.id,
            approver_id="ULEAD",
            now=NOW,
        )
    assert lines(db)[0].document.version == "4"


def test_refreshers_come_30_days_before_expiry_and_on_expiry_once_each(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    with db.transaction() as session:
        licence = competence.add_competence(
            session=session,
            workspace_id=workspace.id,
            name="Forklift licence",
            kind=CompetenceKind.LICENCE,
            validity_months=12,
            actor_id="ULEAD",
            now=NOW,
        )
        completion = competence.log_completion(
            session=session,
            workspace_id=workspace.id,
            user_id="UANNA001",
            competence_id=licence.id,
            completed=date(2026, 1, 15),
            evidence="Certificate 881",
            confirmed_by="ULEAD",
            now=NOW,
        )
    assert completion.expiry_date == date(2027, 1, 15)

    def run(day: date) -> list[Refresher]:
        at = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        with db.transaction() as session:
            claimed = refreshers.claim_due(
                session=session, workspace_id=workspace.id, today=day, now=at
            )
        return [line.refresher for line in claimed]

    assert run(date(2026, 12, 15)) == []  # 31 days before
    assert run(date(2026, 12, 16)) == [Refresher.SOON]
    assert run(date(2026, 12, 16)) == []  # a second clock
    assert run(date(2026, 12, 17)) == []
    assert run(date(2027, 1, 14)) == []
    assert run(date(2027, 1, 15)) == [Refresher.EXPIRED]
    assert run(date(2027, 1, 15)) == []
    assert run(date(2027, 1, 18)) == []


def test_the_matrix_shows_gaps_for_required_competences(db: Database) -> None:
    document_id = add_document(db)
    make_readers(db, document_id)
    workspace = make_workspace(db, NOW)
    with db.reading() as session:
        cells = matrix.matrix(session=session, workspace_id=workspace.id, today=NOW.date())
        needed = matrix.requirements(session=session, workspace_id=workspace.id)
    summary = matrix.summary(cells, needed)
    assert (summary.people, summary.valid, summary.gaps) == (2, 0, 2)
