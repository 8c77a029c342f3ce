"""The study report computed over arrays equals the reference (the per-code, exact-arithmetic
computation it replaced, ``agreement_reference.py``) exactly: every figure, every float's
repr, every disagreement and its text, in order (issue 15). On the demo, on a bench-like
workload of random jittered codings, on codings with empty and overlapping spans, and on a
REFI-QDA import whose characters weigh their source's units (NVivo convention)."""

from __future__ import annotations

import itertools
import random
import shutil
from pathlib import Path

import pytest

from tests.analysis.agreement_golden import add_bench_codings
from tests.exchange.test_source_units import imported
from tests.service.agreement_reference import agreement, reference_agreement
from thematica.domain import Level
from thematica.service import StudyService
from thematica.storage.models import CodingRow

OPTIONS = list(itertools.product((Level.ONE, Level.TWO), ("either", "both"), ("applied", "nvivo")))


def check(study: Path | str, a: str, b: str, code: tuple[str, ...] | None = None) -> int:
    compared = 0
    with StudyService.open(str(study)) as service, service._session() as session:
        for level, scope, convention in OPTIONS:
            try:
                want = reference_agreement(session, a, b, level, code, scope, convention)
            except Exception as error:  # the same refusal, word for word
                with pytest.raises(type(error), match=None) as raised:
                    agreement(session, a, b, level, code, scope, convention)
                assert str(raised.value) == str(error)
                continue
            got = agreement(session, a, b, level, code, scope, convention)
            assert got == want, (level, scope, convention)
            assert repr(got) == repr(want), (level, scope, convention)
            compared += len(got.disagreements) + len(got.codes)
    return compared


@pytest.fixture(scope="module")
def bench_study(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    study = tmp_path_factory.mktemp("arrays") / "bench.thematica"
    shutil.copyfile(demo_template, study)
    add_bench_codings(study, codings=2500, seed=20261203)
    return study


def test_demo_equals_the_reference(demo_template: Path) -> None:
    assert check(demo_template, "Rachel Ames", "Tom Okafor") > 0
    assert check(demo_template, "Rachel Ames", "Tom Okafor", ("Referral",)) > 0


def test_bench_workload_equals_the_reference(bench_study: Path) -> None:
    assert check(bench_study, "Coder A", "Coder B") > 1000


def test_odd_spans_equal_the_reference(bench_study: Path, tmp_path: Path) -> None:
    """Identical, nested, touching and overlapping spans of one coder, and a third coder's codings
    (not compared), written straight into the table."""
    study = tmp_path / "odd.thematica"
    shutil.copyfile(bench_study, study)
    rng = random.Random(3)
    with StudyService.open(str(study)) as service, service._session() as session:
        rows = session.query(CodingRow).filter(CodingRow.coder_id.isnot(None)).limit(400).all()
        for row in rows:
            s, e = row.start_offset, row.end_offset
            start, end = rng.choice(
                [(s, e), (s + 1, max(s + 2, e - 1)), (e, e + 7), (s, e + 1), (s, e + 40)]
            )
            session.add(
                CodingRow(
                    transcript_id=row.transcript_id,
                    code_id=row.code_id,
                    coder_id=rng.choice([row.coder_id, row.coder_id, 1]),
                    start_offset=start,
                    end_offset=end,
                    memo="",
                    created_at=row.created_at,
                    modified_at=row.modified_at,
                )
            )
        session.commit()
    assert check(study, "Coder A", "Coder B") > 1000


def test_source_units_equal_the_reference(tmp_path: Path) -> None:
    imported(tmp_path, str(tmp_path / "nvivo.thematica"))
    assert check(tmp_path / "nvivo.thematica", "Ann", "Ben") > 0


def test_postgres_equals_the_reference(postgres_location: str, tmp_path: Path) -> None:
    """The driver-cursor reads (literal numbers, an empty IN list at level two) on PostgreSQL."""
    imported(tmp_path, postgres_location)
    assert check(postgres_location, "Ann", "Ben") > 0


def test_figures_only_leaves_the_disagreements_and_the_text_out(bench_study: Path) -> None:
    """``disagreements=False`` (the CLI's text without --disagreements, the reconciliation
    page's study figures, the report's checklists): the same figures, no list, no text read."""
    from dataclasses import replace

    from sqlalchemy import event

    with StudyService.open(str(bench_study)) as service:
        full = service.agreement("Coder A", "Coder B")
        statements: list[str] = []
        engine = service._engine  # type: ignore[attr-defined]

        def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", seen)
        try:
            figures = service.agreement("Coder A", "Coder B", disagreements=False)
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    assert full.disagreements
    assert figures == replace(full, disagreements=())
    assert statements and not any("transcripts.text " in s for s in statements)
    assert any("length(transcripts.text)" in s for s in statements)  # lengths only
