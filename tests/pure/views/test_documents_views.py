"""The documents register, its forms and its digest lines stay within Block Kit's limits and
say what they mean in plain words."""

from __future__ import annotations

from datetime import date

from bot.domain.schedule import Urgency
from bot.queries.digest_items import DigestLine
from bot.queries.document_digest import read_key, review_key
from bot.queries.documents import RegisterLine
from bot.views import documents as views
from bot.views.digest import digest_blocks
from storage.models import Document, DocumentRevision, Process
from tests.blocks import button_labels, mrkdwn_texts
from tests.pure.blockkit import message_blocks, surface

TODAY = date(2026, 11, 23)
OWNER = "UOWNER"


def document(number: int, *, due: date = date(2027, 3, 1)) -> Document:
    return Document(
        id=number,
        workspace_id=1,
        reference=f"PR-{number:03d}",
        title="Control of nonconforming output <!channel> " + "x" * 150,
        version="12.3",
        owner_id=OWNER,
        link="https://example.sharepoint.com/sites/qms/" + "a" * 400 + "?x=1&y=2",
        process_id=1,
        review_months=12,
        last_reviewed_date=date(2025, 11, 1),
        next_review_date=due,
    )


def line(number: int, *, readers: int = 0, read: int = 0, **kwargs: object) -> RegisterLine:
    people = [f"U{index:06d}" for index in range(readers)]
    return RegisterLine(
        document(number, **kwargs),  # type: ignore[arg-type]
        "12.3" if readers else None,
        "Step 4 names the new role " * 100 if readers else None,
        frozenset(people),
        frozenset(people[:read]),
    )


def blocks_for(lines: list[RegisterLine], viewer: str, *, page: int = 1) -> list[dict[str, object]]:
    return message_blocks(
        views.register_blocks(
            lines,
            TODAY,
            viewer=viewer,
            is_lead=viewer == "ULEAD",
            page=page,
            process_names={1: "Production"},
            reminder_days=14,
        )
    )


def test_a_large_register_is_paged_within_a_messages_limits() -> None:
    lines = [line(n, readers=120, read=3) for n in range(1, 58)]
    first = blocks_for(lines, "ULEAD")
    assert button_labels(first)[-2:] == ["Next page", "Add document"]
    last = blocks_for(lines, "ULEAD", page=6)
    assert "Page 6 of 6." in " ".join(mrkdwn_texts(last))
    assert "Previous page" in button_labels(last)
    text = " ".join(mrkdwn_texts(first))
    assert "57 documents" in text and "&lt;!channel&gt;" in text and "<!channel>" not in text
    assert "3 of 120 have read v12.3 · not yet:" in text and "and 102 more" in text


def test_overdue_reviews_come_first_and_offer_reviewed_no_change_to_the_owner_only() -> None:
    lines = [line(1), line(2, due=date(2026, 11, 20))]
    owner = blocks_for(lines, OWNER)
    texts = mrkdwn_texts(owner)
    assert texts[1].startswith("*PR-002*")
    assert "review overdue by 3 days (due Fri 20 Nov)" in texts[1]
    assert button_labels(owner) == [
        "Reviewed, no change",
        "Revised",
        "Edit",
        "Revised",
        "Edit",
        "Add document",
    ]
    assert button_labels(blocks_for(lines, "USTRANGER")) == []
    reader = blocks_for([line(3, readers=2)], "U000001")
    assert button_labels(reader) == ["I have read it"]


def test_a_pending_revision_is_approved_by_someone_else() -> None:
    waiting = DocumentRevision(
        id=9, version="13", what_changed="New form", author_id=OWNER, approved_at=None
    )
    pending = RegisterLine(document(1), None, None, frozenset(), frozenset(), pending=waiting)
    lead = blocks_for([pending], "ULEAD")
    assert "Approve revision" in button_labels(lead) and "Revised" not in button_labels(lead)
    assert "Approve revision" not in button_labels(blocks_for([pending], OWNER))
    alone = message_blocks(
        views.document_blocks(
            pending,
            TODAY,
            viewer="ULEAD",
            is_lead=True,
            process_names={},
            reminder_days=14,
        )
    )
    assert "Waiting for approval: v13" in " ".join(mrkdwn_texts(alone))


def test_the_forms_pass_slacks_limits() -> None:
    processes = [Process(id=n, name=f"Process {n} " + "y" * 90) for n in range(1, 130)]
    surface(views.document_form(processes))
    edit = surface(views.document_form(processes, document(7)))
    assert edit["title"]["text"] == "Edit PR-007"
    assert edit["private_metadata"] == '{"document":7}'
    revised = surface(views.revision_form(document(7)))
    assert revised["submit"]["text"] == "Save"


def test_document_lines_in_the_digest() -> None:
    due = date(2026, 11, 20)
    lines = [
        DigestLine(
            review_key(n, due),
            "document_review",
            n,
            f"PR-{n:03d}",
            "Review " + "z" * 400,
            due,
            Urgency.OVERDUE,
            note="Escalated to you: owned by <@UOWNER>",
        )
        for n in range(1, 10)
    ] + [
        DigestLine(
            read_key(n, "4.1"),
            "document_read",
            n,
            f"PR-{n:03d}",
            "<b>new</b> " * 300,
            TODAY,
            Urgency.DUE_SOON,
        )
        for n in range(10, 20)
    ]
    blocks = message_blocks(digest_blocks(lines, TODAY))
    text = " ".join(mrkdwn_texts(blocks))
    assert "*PR-001* Document review · :red_circle: overdue by 3 days (due Fri 20 Nov)" in text
    assert "*Please read PR-010 v4.1* — what changed: &lt;b&gt;new" in text
    assert {"Reviewed, no change", "Revised", "I have read it"} == set(button_labels(blocks))
    done = DigestLine(read_key(1, "4"), "document_read", 1, "PR-001", "", TODAY, None)
    assert "~PR-001~ v4 read" in mrkdwn_texts(message_blocks(digest_blocks([done], TODAY)))[0]
