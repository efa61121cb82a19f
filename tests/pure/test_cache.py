"""The per-process cache of workspace rows and process lists."""

from __future__ import annotations

from bot.process.cache import TtlCache


def test_a_value_is_loaded_once_within_its_time() -> None:
    cache = TtlCache()
    loads: list[int] = []

    def load() -> str:
        loads.append(1)
        return "row"

    assert [cache.get(("workspace", "T1"), load) for _ in range(3)] == ["row"] * 3
    assert len(loads) == 1


def test_forget_drops_the_entries_it_names_only() -> None:
    cache = TtlCache()
    cache.get(("workspace", "T1"), lambda: "one")
    cache.get(("workspace", "T2"), lambda: "two")

    cache.forget("workspace", "T1")

    assert cache.get(("workspace", "T1"), lambda: "one, changed") == "one, changed"
    assert cache.get(("workspace", "T2"), lambda: "two, changed") == "two"


def test_a_value_loaded_while_it_was_forgotten_is_not_kept() -> None:
    """A change committed (and forgotten) while another thread was reading the old row must
    not leave that old row cached for another 30 seconds."""
    cache = TtlCache()

    def load_old_row_while_it_changes() -> str:
        cache.forget("workspace", "T1")  # the change commits mid-read
        return "old"

    assert cache.get(("workspace", "T1"), load_old_row_while_it_changes) == "old"
    assert cache.get(("workspace", "T1"), lambda: "new") == "new"


def test_nothing_is_not_remembered() -> None:
    cache = TtlCache()
    assert cache.get(("workspace", "T1"), lambda: None) is None
    assert cache.get(("workspace", "T1"), lambda: "created") == "created"
