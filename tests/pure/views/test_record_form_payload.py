"""The fast /nc form is the same dict as the validated one, whatever the person typed."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.records import REPORTABLE_KINDS, RecordKind
from bot.forms.record import RecordMetadata
from bot.views.record_form import record_form, record_form_payload
from storage.models import Process

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=4000)


@settings(max_examples=150, deadline=None)
@given(
    title=texts,
    description=texts,
    permalink=st.none() | st.just("https://keel-test.slack.com/archives/C1/p1700000000000200"),
    channel=st.none() | st.just("C123"),
    kind=st.sampled_from(REPORTABLE_KINDS),
    with_processes=st.booleans(),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
)
def test_the_fast_form_equals_the_validated_form(
    title: str,
    description: str,
    permalink: str | None,
    channel: str | None,
    kind: RecordKind,
    with_processes: bool,
    today: date,
) -> None:
    processes = (
        [Process(id=3, name="Purchasing"), Process(id=1, name="Production")]
        if with_processes
        else []
    )
    metadata = RecordMetadata(channel_id=channel, permalink=permalink)
    arguments = {
        "today": today,
        "metadata": metadata,
        "title": title,
        "description": description,
        "kind": kind,
        "processes": processes,
    }
    assert record_form_payload(**arguments) == record_form(**arguments).to_dict()
