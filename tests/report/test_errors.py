"""Bad input and unfinished studies give one clear line and exit code 2, never a traceback."""

from __future__ import annotations

import csv
from functools import partial
from pathlib import Path

import pytest

from tests.report.conftest import Built, run_report
from thematica.errors import ThematicaError
from thematica.report import write_report
from thematica.service import StudyService, TranscriptSource


def one_line_error(result_stderr: str, exit_code: int) -> str:
    assert exit_code == 2
    lines = result_stderr.strip().splitlines()
    assert len(lines) == 1, result_stderr
    assert "Traceback" not in result_stderr
    return lines[0]


def test_bad_attribute_name(built: Built, tmp_path: Path) -> None:
    result = run_report(
        str(built.study), "--out", str(tmp_path / "r"), "--attributes", "age,shoe_size"
    )
    line = one_line_error(result.stderr, result.exit_code)
    assert "no participant attribute 'shoe_size'" in line
    assert "years_qualified" in line  # names what there is
    assert not (tmp_path / "r").exists()


def test_bad_format(built: Built, tmp_path: Path) -> None:
    result = run_report(str(built.study), "--out", str(tmp_path / "r"), "--format", "docx,pdf")
    assert "unknown report format 'pdf'" in one_line_error(result.stderr, result.exit_code)


def test_missing_study(tmp_path: Path) -> None:
    result = run_report(str(tmp_path / "nope.thematica"), "--out", str(tmp_path / "r"))
    assert "nope.thematica" in one_line_error(result.stderr, result.exit_code)


def test_empty_study(tmp_path: Path) -> None:
    study = tmp_path / "empty.thematica"
    StudyService.create(str(study), title="Nothing yet").close()
    result = run_report(str(study), "--out", str(tmp_path / "r"))
    assert "no transcripts yet" in one_line_error(result.stderr, result.exit_code)


def test_study_without_codings(tmp_path: Path) -> None:
    study = tmp_path / "uncoded.thematica"
    with StudyService.create(str(study), title="Not coded yet") as service:
        text = b"Interviewer: How has it been?\nAnn: Long, with the pain and all.\n"
        service.import_transcripts([TranscriptSource(name="ann.txt", read=partial(bytes, text))])
    result = run_report(str(study), "--out", str(tmp_path / "r"))
    line = one_line_error(result.stderr, result.exit_code)
    assert "the study has no codings yet" in line
    assert "thematica codings import" in line


def test_missing_graphviz_is_an_error_not_a_silent_skip(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = run_report(str(built.study), "--out", str(tmp_path / "r"), "--format", "html")
    line = one_line_error(result.stderr, result.exit_code)
    assert "Graphviz" in line and "apt-get install graphviz" in line
    assert not (tmp_path / "r" / "report.html").exists()


def test_tables_alone_do_not_need_graphviz(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = run_report(str(built.study), "--out", str(tmp_path / "r"), "--format", "csv,xlsx")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == [
        "counts.csv",
        "quote-bank.csv",
        "report.xlsx",
        "saturation.csv",
        "table1.csv",
        "table2.csv",
    ]


def test_library_call_raises_thematica_error(built: Built, tmp_path: Path) -> None:
    with (
        StudyService.open(str(built.study)) as service,
        pytest.raises(ThematicaError, match="exemplars"),
    ):
        write_report(service, tmp_path, exemplars=0)
    with (
        StudyService.open(str(built.study)) as service,
        pytest.raises(ThematicaError, match="format"),
    ):
        write_report(service, tmp_path, formats=())


def test_attributes_choose_and_order_table1(built: Built, tmp_path: Path) -> None:
    with StudyService.open(str(built.study)) as service:
        written = write_report(service, tmp_path, formats=("csv",), attributes=["Setting", "age"])
    assert written[0].name == "table1.csv"
    with (tmp_path / "table1.csv").open(encoding="utf-8", newline="") as f:
        labels = [row[0] for row in csv.reader(f)][1:]
    assert labels[1] == "setting, n (%)"
    assert "age, mean (SD)" in labels
    assert not any(label.startswith(("gender", "nhs band")) for label in labels)


def test_help_has_an_example() -> None:
    result = run_report("--help")
    assert result.exit_code == 0
    assert "Example:\n      thematica report msk.thematica --out report/" in result.output


def test_the_residual_check_guards_reports(demo_study: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from thematica.cli.report import report

    out = tmp_path / "out"
    refused = CliRunner().invoke(report, [str(demo_study), "--out", str(out)])
    assert refused.exit_code == 2
    assert "refused:" in refused.stderr and "--allow-identifiers" in refused.stderr
    assert not out.exists()
