"""A batch import names every bad file in one run, and still imports nothing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.conftest import snapshot
from thematica.cli.main import cli

DEMO = Path(__file__).resolve().parents[2] / "src" / "thematica" / "demo" / "data" / "interviews"


def test_every_bad_file_is_named_and_nothing_is_imported(tmp_path: Path) -> None:
    study = str(tmp_path / "s.thematica")
    assert CliRunner().invoke(cli, ["init", study, "--title", "Batch"]).exit_code == 0
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-good.vtt").write_bytes((DEMO / "physio-1.vtt").read_bytes())
    (folder / "b-empty.vtt").write_bytes(b"")
    (folder / "c-good.vtt").write_bytes((DEMO / "physio-2.vtt").read_bytes())
    (folder / "d-garbage.vtt").write_bytes(b"WEBVTT\n\nnot a cue at all\n")
    (folder / "e-copy.vtt").write_bytes((DEMO / "physio-1.vtt").read_bytes())  # same as a
    before = snapshot(study)
    result = CliRunner().invoke(cli, ["transcripts", "import", study, str(folder)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4, result.stderr
    assert "b-empty.vtt" in lines[0]
    assert "d-garbage.vtt" in lines[1]
    assert "e-copy.vtt" in lines[2] and "already imported" in lines[2]
    assert "3 files cannot be imported, so nothing was imported" in lines[3]
    assert "--skip-bad" in lines[3]
    assert "Traceback" not in result.stderr
    assert snapshot(study) == before


def test_one_bad_file_is_still_one_line(tmp_path: Path) -> None:
    study = str(tmp_path / "s.thematica")
    assert CliRunner().invoke(cli, ["init", study, "--title", "Batch"]).exit_code == 0
    (tmp_path / "ok.vtt").write_bytes((DEMO / "ot-1.vtt").read_bytes())
    (tmp_path / "bad.vtt").write_bytes(b"")
    result = CliRunner().invoke(
        cli, ["transcripts", "import", study, str(tmp_path / "ok.vtt"), str(tmp_path / "bad.vtt")]
    )
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "bad.vtt" in result.stderr


def test_skip_bad_imports_the_good_and_lists_every_bad(tmp_path: Path) -> None:
    study = str(tmp_path / "s.thematica")
    assert CliRunner().invoke(cli, ["init", study, "--title", "Batch"]).exit_code == 0
    (tmp_path / "ok.vtt").write_bytes((DEMO / "ot-1.vtt").read_bytes())
    (tmp_path / "bad1.vtt").write_bytes(b"")
    (tmp_path / "bad2.vtt").write_bytes(b"\xff\xfe\x00garbage")
    result = CliRunner().invoke(
        cli,
        [
            "transcripts",
            "import",
            study,
            "--skip-bad",
            *(str(p) for p in sorted(tmp_path.glob("*.vtt"))),
        ],
    )
    assert result.exit_code == 1
    assert "Imported #1 ok.vtt" in result.stdout.replace(str(tmp_path) + "/", "")
    assert result.stderr.count("Skipped") == 2
