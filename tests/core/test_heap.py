"""Big imports keep their long-lived data out of the garbage collector's full scans.

A full collection holds the GIL for as long as it walks every tracked object, which froze the
wizard's GUI thread for half a second while 100,000 payload rows were alive. These tests check
the mechanism (objects are frozen out of the collections), not the timing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest_gui.core.heap import building_long_lived, settle_long_lived
from ingest_gui.core.loading import load_table
from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.payload import build_batches
from tests.core.test_payload import make_result


@pytest.fixture(autouse=True)
def unfrozen_afterwards() -> Iterator[None]:
    """Each test starts and ends with nothing frozen, so tests stay independent."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def in_collections(obj: object) -> bool:
    """True when a garbage collection would walk ``obj`` (frozen objects are skipped)."""
    return any(candidate is obj for candidate in gc.get_objects())


def test_objects_built_in_the_block_are_out_of_later_collections() -> None:
    was_enabled = gc.isenabled()
    with building_long_lived():
        assert not gc.isenabled()
        built = [[f"value {n}"] for n in range(1000)]
    assert gc.isenabled() == was_enabled
    assert gc.get_freeze_count() >= len(built)
    assert not in_collections(built[0])
    assert not in_collections(built)
    # Frozen objects are still ordinary objects, freed by reference counting.
    built[0].append("more")
    assert built[0] == ["value 0", "more"]


def test_a_failing_block_freezes_nothing_and_restores_the_collector() -> None:
    was_enabled = gc.isenabled()
    partial: list[list[str]] = []

    def build() -> None:
        with building_long_lived():
            partial.append(["half built"])
            raise ValueError("the build failed")

    with pytest.raises(ValueError, match="the build failed"):
        build()
    assert gc.isenabled() == was_enabled
    assert gc.get_freeze_count() == 0
    assert in_collections(partial[0])


def test_settling_collects_young_garbage_before_freezing() -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self  # a reference cycle: only the collector can free it

    import weakref

    garbage = Node()
    gone = weakref.ref(garbage)
    del garbage
    kept = [["alive"]]
    settle_long_lived()
    assert gone() is None, "young cyclic garbage must be collected, not frozen forever"
    assert not in_collections(kept[0])


def test_settling_never_collects_while_automatic_collection_is_off() -> None:
    """The wizard turns automatic collection off while workers run and collects on its GUI
    thread: a collection started here, on a worker, could walk widgets being destroyed."""
    class Node:
        def __init__(self) -> None:
            self.me = self

    import weakref

    garbage = Node()
    gone = weakref.ref(garbage)
    del garbage
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        settle_long_lived()
        with building_long_lived():
            pass
        assert gone() is not None, "nothing may be collected while collection is off"
        assert not gc.isenabled()
    finally:
        if was_enabled:
            gc.enable()
    gc.unfreeze()
    gc.collect()
    assert gone() is None


def test_build_batches_keeps_the_plan_out_of_later_collections() -> None:
    result = make_result(ImportKind.CONTACTS, {
        "_user_id": [f"u{n}" for n in range(300)],
        "interests": [f"a\x1fb{n}" for n in range(300)],
    })
    plan = build_batches(result, datasource="ds")
    assert plan.batches[0].items[0]["interests"] == ["a", "b0"]
    # The plan holds encoded bodies (bytes, never walked by the collector) in frozen batches.
    assert isinstance(plan.batches[0].encoded.body, bytes)
    assert not in_collections(plan.batches[0])
    assert not in_collections(plan.batches[-1].encoded)
    assert not in_collections(plan.batches)


def test_load_table_freezes_what_is_alive_once_loaded(tmp_path: Path) -> None:
    before = [["created before the load"]]
    path = tmp_path / "contacts.csv"
    path.write_text("id,email\n1,a@example.com\n2,b@example.com\n", encoding="utf-8")
    table = load_table(path)
    assert len(table) == 2
    assert not in_collections(before[0])
