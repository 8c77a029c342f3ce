"""``thematica transcripts attach`` and ``transcripts media-check``, and the media folder's size
in ``thematica info`` (issue 16, item 1). Refusals exit 2 with one line naming the file and
leave the study and the media folder unchanged. The help examples run on the demo study."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.test_help_examples import STUDY_NAME, examples
from tests.conftest import snapshot
from tests.media.recordings import CODER, READER, build, not_audio, truncated, wav
from thematica.cli.main import cli
from thematica.service import StudyService


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture
def study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("THEMATICA_MEDIA_DIR", raising=False)
    path = tmp_path / "msk.thematica"
    with StudyService.create(str(path), title="Media") as service:
        build(service)
    return path


def folder_state(folder: Path) -> dict[str, bytes] | None:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else None


def test_attach_check_info_and_relink(study: Path, tmp_path: Path) -> None:
    source = wav(tmp_path / "p1.wav", 4)
    code, out = run("transcripts", "attach", str(study), "P1", str(source), "--by", CODER)
    assert code == 0, out
    assert "Attached p1.wav to transcript 1 (wav, 0:00:04" in out
    code, out = run("transcripts", "media-check", str(study), "--format", "json")
    assert code == 0, out
    found = json.loads(out)
    assert found["folder"] == str(tmp_path / "msk.thematica-media")
    assert [(r["transcript_id"], r["status"]) for r in found["recordings"]] == [(1, "ok")]
    code, out = run("info", str(study))
    assert code == 0 and f"Media: {tmp_path / 'msk.thematica-media'} (0.1 MB)" in out
    code, out = run("info", str(study), "--format", "json")
    assert json.loads(out)["media_bytes"] == source.stat().st_size
    for stored in (tmp_path / "msk.thematica-media").iterdir():
        stored.unlink()
    code, out = run("transcripts", "media-check", str(study))
    assert code == 1 and "transcript 1: p1.wav (wav, 0:00:04): missing" in out
    assert "--relink" in out
    code, out = run("transcripts", "attach", str(study), "P1", str(source), "--by", CODER)
    assert code == 2 and "--relink" in out
    args = ("transcripts", "attach", str(study), "P1", str(source), "--relink", "--by", CODER)
    assert run(*args)[0] == 0
    assert run("transcripts", "media-check", str(study))[0] == 0


def test_media_dir_option_and_environment(
    study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = wav(tmp_path / "p1.wav", 4)
    elsewhere = tmp_path / "team-media"
    args = ("transcripts", "attach", str(study), "P1", str(source), "--by", CODER)
    assert run(*args, "--media-dir", str(elsewhere))[0] == 0
    assert len(list(elsewhere.iterdir())) == 1
    assert not (tmp_path / "msk.thematica-media").exists()
    monkeypatch.setenv("THEMATICA_MEDIA_DIR", str(elsewhere))
    assert run("transcripts", "media-check", str(study))[0] == 0


CASES = {
    "missing": (lambda d: d / "gone.wav", "no such file"),
    "unsupported": (lambda d: wav(d / "a.wav", 4).rename(d / "a.aiff"), "unsupported type"),
    "truncated": (lambda d: truncated(d / "cut.wav"), "truncated"),
    "not audio": (lambda d: not_audio(d / "noise.mp3"), "not audio"),
    "too short": (lambda d: wav(d / "short.wav", 3), "the transcript runs to 0:00:30"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_refusals_exit_2_with_one_line_and_change_nothing(
    study: Path, tmp_path: Path, case: str
) -> None:
    make, reason = CASES[case]
    files = tmp_path / "files"
    files.mkdir()
    bad = make(files)
    folder = tmp_path / "msk.thematica-media"
    before, media = snapshot(str(study)), folder_state(folder)
    result = CliRunner().invoke(
        cli, ["transcripts", "attach", str(study), "P2", str(bad), "--by", CODER]
    )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and reason in lines[0], result.output
    assert snapshot(str(study)) == before
    assert folder_state(folder) == media


def test_a_reader_cannot_attach(study: Path, tmp_path: Path) -> None:
    source = wav(tmp_path / "p1.wav", 4)
    before = snapshot(str(study))
    code, out = run("transcripts", "attach", str(study), "P1", str(source), "--by", READER)
    assert code == 2 and "reader" in out
    assert snapshot(str(study)) == before
    assert not (tmp_path / "msk.thematica-media").exists()


@pytest.mark.parametrize("command", ["attach", "media-check"])
def test_help_examples_run_on_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    assert run("demo", str(tmp_path / "demo"))[0] == 0
    shutil.copyfile(tmp_path / "demo" / "demo.thematica", tmp_path / STUDY_NAME)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("THEMATICA_MEDIA_DIR", raising=False)
    (tmp_path / "moved").mkdir()
    wav(tmp_path / "physio4.wav", 10 * 60, rate=1000)  # Physio 4 runs to about 9 minutes
    shutil.copyfile(tmp_path / "physio4.wav", tmp_path / "moved" / "physio4.wav")
    if command == "media-check":
        assert (
            run(
                "transcripts",
                "attach",
                STUDY_NAME,
                "Physio 4",
                "physio4.wav",
                "--by",
                "Rachel Ames",
            )[0]
            == 0
        )
    lines = examples(cli, ("transcripts", command))
    assert lines
    for args in lines:
        code, output = run(*args)
        assert code == 0, f"{shlex.join(['thematica', *args])}: {output}"
