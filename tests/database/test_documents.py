"""The documents register, read-and-understood, and competence refreshers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.competence import CompetenceKind
from bot.domain.errors import NotAllowed
from bot.forms.documents import DocumentFields, RevisionFields
from bot.queries import competence as matrix
from bot.queries import documents as register
from bot.services import competence, document_reads, documents
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

    def review(due: date) -> documents.Reviewed:
        with db.transaction() as session:
            return documents.reviewed_no_change(
                session=session,
                workspace_id=workspace.id,
                document_id=document_id,
                due=due,
                actor_id=OWNER,
                is_lead=False,
                now=late,
            )

    done = review(date(2026, 11, 10))
    assert done.recorded
    assert done.document.next_review_date == date(2027, 11, 10)
    assert done.document.last_reviewed_date == late.date()
    again = review(date(2026, 11, 10))  # a double click, or yesterday's digest
    assert not again.recorded
    assert again.document.next_review_date == date(2027, 11, 10)
    assert review(date(2027, 11, 10)).document.next_review_date == date(2028, 11, 10)


def test_only_the_owner_or_a_lead_records_a_review(db: Database) -> None:
    document_id = add_document(db)
    workspace = make_workspace(db, NOW)
    with db.transaction() as session, pytest.raises(NotAllowed):
        documents.reviewed_no_change(
            session=session,
            workspace_id=workspace.id,
            document_id=document_id,
            due=date(2026, 11, 10),
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
        assert document_reads.acknowledge(
            session=session,
            workspace_id=workspace.id,
            document_id=document_id,
            version="4",
            user_id="UANNA001",
            now=NOW,
        )
        assert not document_reads.acknowledge(
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
            is_lead=False,
            now=NOW,
        )
    with db.transaction() as session:
        documents.approve(
            session=session,
            workspace_id=workspace.id,
            revision_id=revised.revision.id,
            approver_id="ULEAD",
            is_lead=True,
            now=NOW,
        )
    assert lines(db)[0].document.version == "4"


def test_the_matrix_shows_gaps_for_required_competences(db: Database) -> None:
    document_id = add_document(db)
    make_readers(db, document_id)
    workspace = make_workspace(db, NOW)
    with db.reading() as session:
        cells = matrix.matrix(session=session, workspace_id=workspace.id, today=NOW.date())
        needed = matrix.requirements(session=session, workspace_id=workspace.id)
    summary = matrix.summary(cells, needed)
    assert (summary.people, summary.valid, summary.gaps) == (2, 0, 2)


def test_a_second_revision_waits_for_the_first_and_a_version_is_not_used_twice(
    db: Database,
) -> None:
    document_id = add_document(db)
    workspace = make_workspace(db, NOW)
    with db.transaction() as session:
        stored = session.get_one(Workspace, workspace.id)
        stored.revision_approval = True
        documents.revise(
            session=session,
            workspace=stored,
            document_id=document_id,
            fields=RevisionFields(version="4", what_changed="New form"),
            actor_id=OWNER,
            is_lead=False,
            now=NOW,
        )
    with db.transaction() as session, pytest.raises(NotAllowed, match="waiting for approval"):
        documents.revise(
            session=session,
            workspace=session.get_one(Workspace, workspace.id),
            document_id=document_id,
            fields=RevisionFields(version="5", what_changed="Another"),
            actor_id="ULEAD",
            is_lead=True,
            now=NOW,
        )
    with db.transaction() as session, pytest.raises(NotAllowed, match="owner or a quality lead"):
        documents.approve(
            session=session,
            workspace_id=workspace.id,
            revision_id=1,
            approver_id="USTRANGER",
            is_lead=False,
            now=NOW,
        )
    with db.transaction() as session:
        session.get_one(Workspace, workspace.id).revision_approval = False
        pending = documents.approve(
            session=session,
            workspace_id=workspace.id,
            revision_id=1,
            approver_id="ULEAD",
            is_lead=True,
            now=NOW,
        )
        assert pending.approver_id == "ULEAD"
    with db.transaction() as session, pytest.raises(NotAllowed, match="had a version 4"):
        stored = session.get_one(Workspace, workspace.id)
        document = documents.get(session=session, workspace_id=workspace.id, document_id=1)
        document.version = "4b"  # corrected by Edit since
        documents.revise(
            session=session,
            workspace=stored,
            document_id=document_id,
            fields=RevisionFields(version="4", what_changed="Again"),
            actor_id=OWNER,
            is_lead=False,
            now=NOW,
        )


def test_only_someone_who_must_read_it_confirms_reading_it(db: Database) -> None:
    document_id = add_document(db)
    make_readers(db, document_id)
    revise(db, document_id, "4", reread=True)
    workspace = make_workspace(db, NOW)
    with db.transaction() as session, pytest.raises(NotAllowed, match="not among the people"):
        document_reads.acknowledge(
            session=session,
            workspace_id=workspace.id,
            document_id=document_id,
            version="4",
            user_id="USTRANGER",
            now=NOW,
        )


def test_an_edit_of_the_interval_keeps_the_cycle_and_a_new_last_review_restarts_it(
    db: Database,
) -> None:
    document_id = add_document(db)  # last reviewed 10 Nov 2025, due 10 Nov 2026
    workspace = make_workspace(db, NOW)

    def edit(**changes: object) -> date:
        fields = {
            "reference": "PR-012",
            "title": "Control of nonconforming output",
            "version": "3",
            "owner_id": OWNER,
            "review_months": 12,
            "last_reviewed": date(2025, 11, 10),
        } | changes
        with db.transaction() as session:
            return documents.edit(
                session=session,
                workspace_id=workspace.id,
                document_id=document_id,
                fields=DocumentFields.model_validate(fields),
                actor_id=OWNER,
                is_lead=False,
                now=NOW,
            ).next_review_date

    assert edit(review_months=24) == date(2027, 11, 10)
    assert edit(review_months=24, last_reviewed=date(2026, 2, 1)) == date(2028, 2, 1)
    with pytest.raises(NotAllowed, match="already in the register"):
        add_document(db, reference="PR-013")
        edit(reference="pr-013")
