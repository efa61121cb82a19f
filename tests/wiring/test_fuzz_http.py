"""Arbitrary text through the signed HTTP path: always a 2xx, never a lost record."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from storage.models import Record
from tests.conftest import RunningKeel
from tests.slack_requests import FRAMEWORK_WORDS, form_values, view_submission
from tests.wiring.test_raise_record import open_form

_view_ids = itertools.count(1)
# What Slack can send: any valid Unicode (no lone surrogates, which UTF-8 cannot carry),
# often with the words the framework's parsing looks for (random text almost never has them).
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
slack_text = any_text | st.lists(
    st.sampled_from(FRAMEWORK_WORDS) | st.text(max_size=12), min_size=1, max_size=8
).map(" ".join)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(text=slack_text)
def test_any_command_text_gets_a_2xx(keel: RunningKeel, text: str) -> None:
    answer = keel.slack.command(text)
    assert 200 <= answer.status < 300, answer.body


@FUZZ
@given(
    title=slack_text,
    description=slack_text,
    location=st.none() | slack_text,
    containment=st.none() | slack_text,
    occurred=st.dates().map(lambda d: d.isoformat()),
)
def test_any_form_text_is_answered_and_each_accepted_form_is_one_record(
    keel: RunningKeel,
    title: str,
    description: str,
    location: str | None,
    containment: str | None,
    occurred: str,
) -> None:
    view = open_form(keel)
    with keel.db.reading() as session:
        before = session.scalar(select(func.count()).select_from(Record))
    values = form_values(
        title=title,
        description=description,
        location=location,
        containment=containment,
        occurred=occurred,
    )
    submission = view_submission(
        view, values, view_id=f"V{abs(hash((title, description, occurred)))}"
    )
    answer = keel.slack.interaction(submission)
    assert answer.status == 200, answer.body
    outcome = answer.json()["response_action"]
    assert outcome in ("errors", "update")
    with keel.db.reading() as session:
        after = session.scalar(select(func.count()).select_from(Record))
    assert after == before + (1 if outcome == "update" else 0) or (
        outcome == "update" and after == before
    )
