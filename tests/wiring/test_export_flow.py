"""`/nc export`: a quality lead gets the audit pack in a DM through the external upload API."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from sqlalchemy import select

from storage.models import Action, Record
from tests.conftest import RunningKeel
from tests.wiring.flows import raise_and_get_card


def test_a_lead_gets_the_audit_pack_in_a_dm(keel: RunningKeel) -> None:
    raise_and_get_card(keel)
    keel.fake.add_user("UBOB")
    keel.fake.users["UBOB"]["profile"] = {"real_name": "Bob Baker"}
    with keel.db.transaction() as session:  # an overdue action: its owner is in the pack
        record = session.scalars(select(Record)).one()
        session.add(
            Action(
                workspace_id=record.workspace_id, record_id=record.id, number=1,
                kind="corrective", description="Relabel", owner_id="UBOB",
                due_date=date(2026, 11, 2), status="open",
                created_at=record.created_at, updated_at=record.created_at,
            )
        )  # fmt: skip
    answer = keel.slack.command("export", user="ULEAD")
    assert answer.json()["text"].startswith("Preparing your export…")
    complete = keel.fake.wait_for(lambda: keel.fake.calls_to("files.completeUploadExternal"))
    (asked,) = keel.fake.calls_to("files.getUploadURLExternal")
    assert asked.args["filename"].startswith("keel-audit-pack-")
    (stored,) = keel.fake.files.values()
    assert int(asked.args["length"]) == len(stored["bytes"]) == stored["length"]
    assert complete[0].args["channel_id"] == "DULEAD"
    assert stored["title"] == "Keel audit pack" and "index.html" in stored["comment"]
    with zipfile.ZipFile(io.BytesIO(stored["bytes"])) as pack:
        names = set(pack.namelist())
        assert {"records.csv", "index.html", "management-review.html"} <= names
        assert {"documents.csv", "training_matrix.csv"} <= names
        assert b"NC-0001" in pack.read("records.csv")
        review = pack.read("management-review.html")
        assert b"<td>Bob Baker</td><td>1</td>" in review and b"UBOB" not in review


def test_anyone_else_is_refused_and_gets_no_file(keel: RunningKeel) -> None:
    answer = keel.slack.command("export", user="UALICE")
    assert "Only quality leads" in answer.json()["text"]
    assert keel.fake.calls_to("files.getUploadURLExternal") == []
