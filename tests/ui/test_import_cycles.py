"""No import cycles in the Qt layer, function-level and type-checking imports included (the
import-linter contracts in pyproject.toml order the ui's layers; this catches a cycle inside
one layer too)."""

from __future__ import annotations

import grimp


def test_the_ui_has_no_import_cycles() -> None:
    graph = grimp.build_graph("ingest_gui")
    ui = sorted(module for module in graph.modules if module.startswith("ingest_gui.ui"))
    cycles = []
    for module in ui:
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith("ingest_gui.ui"):
                back = graph.find_shortest_chain(importer=imported, imported=module)
                if back is not None:
                    cycles.append((module, *back))
    assert cycles == []
