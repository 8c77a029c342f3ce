"""Agreement outputs are byte-identical to those recorded before the array rewrite (issue 15).

Every CLI agreement output (JSON and text; level, scope, convention, one code, with and without
disagreements), one transcript's figures and Krippendorff's alpha, on the demo and on a
bench-like workload, against the SHA-256 digests in ``agreement_golden.json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.analysis.agreement_golden import GOLDEN, digests, outputs


@pytest.fixture(scope="module")
def found(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return digests(outputs(tmp_path_factory.mktemp("golden"), demo_template))


def test_every_recorded_output_is_produced(found: dict[str, str]) -> None:
    assert sorted(found) == sorted(json.loads(GOLDEN.read_text()))


def test_agreement_outputs_are_byte_identical(found: dict[str, str]) -> None:
    recorded = json.loads(GOLDEN.read_text())
    changed = [name for name, digest in recorded.items() if found.get(name) != digest]
    assert not changed, f"{len(changed)} outputs changed, e.g. {changed[:5]}"
