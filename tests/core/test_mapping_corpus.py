"""The export corpus (tests/benchmarks/corpus) mapped onto the demo datasource and onto one whose
custom attributes have other uids and Spanish labels: the proposal must meet the issue's targets
on both (it resolves roles by uid, label and type, never by the demo's names)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from ingest_gui.api.specs import DatasourceSpecs
from ingest_gui.core.mapping import ImportKind, propose_mapping
from tests.benchmarks.mapping_quality import (
    TARGET_RIGHT_SHARE,
    TARGET_WRONG_OFFERS_PER_FILE,
    Pair,
    Proposal,
    demo_specs,
    evaluate,
    expectations,
    load_expected_table,
)

#: demo uid -> (other uid, Spanish label) of the renamed datasource.
RENAMED = {
    "notes": ("comentarios", "Comentarios"),
    "plan": ("plan_contratado", "Plan contratado"),
    "lifetime_value": ("gasto_total", "Gasto total"),
    "orders_count": ("num_pedidos", "Número de pedidos"),
    "vip": ("es_vip", "Cliente VIP"),
    "birthday": ("fecha_nac", "Fecha de nacimiento"),
    "last_login": ("ultimo_acceso", "Último acceso"),
    "work_email": ("email_trabajo", "Email del trabajo"),
    "landline": ("tel_fijo", "Teléfono fijo"),
    "interests": ("aficiones", "Intereses"),
    "loyalty_tier": ("nivel", "Nivel de fidelidad"),
}


def renamed_specs() -> DatasourceSpecs:
    specs = demo_specs()
    attributes = tuple(
        replace(spec, uid=RENAMED[spec.uid][0], display_label=RENAMED[spec.uid][1])
        if spec.uid in RENAMED else spec for spec in specs.attributes)
    return replace(specs, attributes=attributes)


def renamed_expectation(expected: dict[str, Any]) -> dict[str, Any]:
    def rename(targets: list[str]) -> list[str]:
        return [RENAMED[t][0] if t in RENAMED else t for t in targets]

    return {**expected,
            "targets": {c: rename(t) for c, t in expected["targets"].items()},
            "acceptable": {c: rename(t) for c, t in expected.get("acceptable", {}).items()}}


@pytest.mark.parametrize("renamed", [False, True], ids=["demo", "renamed"])
def test_the_corpus_meets_the_targets(renamed: bool) -> None:
    specs = renamed_specs() if renamed else demo_specs()
    right = clear = 0
    problems: list[str] = []
    for expected in expectations():
        table = load_expected_table(expected)
        proposal = propose_mapping(table, specs, ImportKind(expected["kind"]),
                                   event_type=expected.get("event_type"))
        pairs = tuple(Pair(e.column, e.target, e.applied, e.confidence, e.reason)
                      for e in proposal.entries if e.target is not None)
        result = evaluate(renamed_expectation(expected) if renamed else expected,
                          Proposal(proposal.source, pairs))
        right += result.right
        clear += result.clear_columns
        if result.wrong_applied or result.secrets_offered \
                or len(result.wrong_offers) > TARGET_WRONG_OFFERS_PER_FILE \
                or result.source_recognised is False:
            problems.append(f"{result.file}: {result}")
    assert not problems
    assert clear > 150
    assert right / clear >= TARGET_RIGHT_SHARE
