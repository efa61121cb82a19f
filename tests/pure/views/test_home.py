"""The App Home tab."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.queries.objectives import overview
from bot.queries.records import RecordPage
from bot.views.home import home_view
from tests.blocks import button_labels, mrkdwn_texts
from tests.pure.blockkit import surface
from tests.pure.factories import make_record
from tests.pure.objective_factories import TODAY, make_objective


def mine(titles: list[str], *, total: int | None = None) -> RecordPage:
    records = [make_record(id=n, number=n + 1, title=t) for n, t in enumerate(titles)]
    return RecordPage(
        records=records, page=1, total=len(records) if total is None else total, page_size=10
    )


def test_an_empty_home_is_a_valid_home_tab() -> None:
    view = surface(home_view(mine([])))
    assert view["type"] == "home"
    assert any("Nothing open" in text for text in mrkdwn_texts(view))


def test_home_lists_your_open_records() -> None:
    view = surface(home_view(mine(["Wrong label", "Forklift brakes soft"])))
    text = "\n".join(mrkdwn_texts(view))
    assert "*NC-0001* Wrong label · New" in text
    assert "*NC-0002* Forklift brakes soft · New" in text
    assert "(2)" in text


def test_home_points_to_the_list_when_there_are_more() -> None:
    view = surface(home_view(mine(["a"] * 10, total=25)))
    assert any("/nc list" in text for text in mrkdwn_texts(view))


def test_home_escapes_titles() -> None:
    view = surface(home_view(mine(["<!channel> spill"])))
    assert not any("<!channel>" in text for text in mrkdwn_texts(view))


@settings(max_examples=200, deadline=None)
@given(titles=st.lists(st.text(min_size=1, max_size=200), max_size=10))
def test_any_titles_make_a_valid_home_tab(titles: list[str]) -> None:
    view = surface(home_view(mine(titles)))
    for text in mrkdwn_texts(view):
        assert "<" not in text
        assert ">" not in text


def test_home_shows_the_objectives_you_measure_with_log_value() -> None:
    objective = make_objective(title="<!channel> delivery")
    item = overview(objective, [], TODAY)
    view = surface(home_view(mine([]), [item]))
    text = "\n".join(mrkdwn_texts(view))
    assert "*Objectives you measure* (1)" in text
    assert "*OBJ-1* &lt;!channel&gt; delivery" in text
    assert button_labels(view["blocks"]) == ["Log value"]


def test_home_leaves_objectives_out_for_people_who_measure_none() -> None:
    view = surface(home_view(mine([]), []))
    assert not any("Objectives" in text for text in mrkdwn_texts(view))
