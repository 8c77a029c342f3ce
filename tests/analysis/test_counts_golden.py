"""Single counts and the matrix are byte-identical to the outputs recorded before the rewrite
(issue 15): every format, level, coders, grouping and rows, on the demo and a bench-like
workload, against the SHA-256 digests in ``counts_golden.json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.analysis.agreement_golden import digests
from tests.analysis.counts_golden import GOLDEN, outputs


@pytest.fixture(scope="module")
def found(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return digests(outputs(tmp_path_factory.mktemp("golden"), demo_template))


def test_counts_and_matrix_outputs_are_byte_identical(found: dict[str, str]) -> None:
    recorded = json.loads(GOLDEN.read_text())
    assert sorted(found) == sorted(recorded)
    changed = [name for name, digest in recorded.items() if found[name] != digest]
    assert not changed, f"{len(changed)} outputs changed, e.g. {changed[:5]}"
