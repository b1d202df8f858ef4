"""No import cycles anywhere in ingest_gui, function-level and type-checking imports included.

The import-linter contracts in pyproject.toml order the layers (ui above core above api, and the
layers inside the ui and inside the core); this catches a cycle inside one layer too, and in
modules no contract names.
"""

from __future__ import annotations

import grimp


def _cycles(graph: grimp.ImportGraph) -> list[tuple[str, ...]]:
    """Each import ``a -> b`` for which ``b`` leads back to ``a``, as the loop it closes."""
    cycles = []
    for module in sorted(graph.modules):
        if not module.startswith("ingest_gui"):
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                cycles.append((module, *back))
    return cycles


def test_the_package_has_no_import_cycles() -> None:
    graph = grimp.build_graph("ingest_gui")
    assert len([module for module in graph.modules if module.startswith("ingest_gui.")]) > 90
    assert _cycles(graph) == []


def test_a_cycle_is_found_when_there_is_one() -> None:
    graph = grimp.build_graph("ingest_gui")
    graph.add_import(importer="ingest_gui.core.cancel", imported="ingest_gui.core.workflow")
    assert ("ingest_gui.core.cancel", "ingest_gui.core.workflow", "ingest_gui.core.cancel") in [
        (cycle[0], cycle[1], cycle[-1]) for cycle in _cycles(graph)]
