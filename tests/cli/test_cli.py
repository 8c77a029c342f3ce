"""The command line: thin, documented, JSON everywhere, exit 2 with one clear line on bad input."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.cli.commands import all_commands
from tests.conftest import shared, snapshot
from thematica.cli.main import cli


def teams() -> Path:
    """A real Teams transcript (third-party: skipped when ../shared is absent)."""
    return shared("teams-vtt-teams-transcript-formatter/example-transcript.vtt")


def run(*args: str, ok: bool = True, input: str | None = None) -> click.testing.Result:
    result = CliRunner().invoke(cli, list(args), input=input)
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.mark.parametrize("path", all_commands(cli), ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert "Example" in result.output
    assert "thematica " + " ".join(path) in result.output


@pytest.fixture
def study_path(tmp_path: Path) -> str:
    path = str(tmp_path / "s.thematica")
    run(
        "init", path, "--title", "Pain and low mood", "--question", "How?", "--approach", "codebook"
    )
    return path


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return str(path)


def test_init_info_and_team(study_path: str) -> None:
    run("team", "add", study_path, "Rachel Ames", "--role", "lead")
    info = json.loads(run("info", study_path, "--format", "json").output)
    assert info["title"] == "Pain and low mood" and info["approach"] == "codebook"
    assert info["team"] == [
        {
            "name": "Rachel Ames",
            "role": "lead",
            "anonymised_only": False,
            "has_password": False,
            "email": None,
            "active": True,
        }
    ]
    assert (
        json.loads(run("team", "list", study_path, "--format", "json").output)[0]["role"] == "lead"
    )
    assert "Pain and low mood" in run("info", study_path).output


def test_participants_import_and_list(study_path: str, tmp_path: Path) -> None:
    register = write(
        tmp_path,
        "register.csv",
        "group,age\nPhysiotherapist,34\nPhysiotherapist,41\nOccupational therapist,29\n",
    )
    out = run(
        "participants",
        "import",
        study_path,
        register,
        "--prefix",
        "Physiotherapist=Physio",
        "--prefix",
        "Occupational therapist=OT",
    ).output
    assert "Physio 1, Physio 2, OT 1" in out
    listing = json.loads(run("participants", "list", study_path, "--format", "json").output)
    assert listing["attributes"] == [{"name": "age", "type": "integer"}]
    assert [p["label"] for p in listing["participants"]] == ["Physio 1", "Physio 2", "OT 1"]
    assert "Physio 2" in run("participants", "list", study_path).output


def test_transcripts_import_show_json(study_path: str, tmp_path: Path) -> None:
    write(tmp_path, "r.csv", "label,group\nPhysio 4,Physiotherapist\n")
    run("participants", "import", study_path, str(tmp_path / "r.csv"))
    result = run(
        "transcripts",
        "import",
        study_path,
        str(teams()),
        "--participant",
        "Physio 4",
        "--date",
        "14/03/2026",
        "--format",
        "json",
    )
    assert json.loads(result.output)["imported"][0]["participant"] == "Physio 4"
    shown = json.loads(
        run("transcripts", "show", study_path, "Physio 4", "--format", "json").output
    )
    assert shown["interview_date"] == "2026-03-14"
    first = shown["turns"][0]
    assert set(first) >= {"speaker", "role", "start_ms", "end_ms", "start", "end", "text"}
    assert (first["speaker"], first["role"], first["start_ms"], first["end_ms"]) == (
        "John Smith",
        "interviewer",
        10087,
        13130,
    )
    for turn in shown["turns"]:
        assert shown["text"][turn["start"] : turn["end"]] == turn["text"]
    listing = json.loads(run("transcripts", "list", study_path, "--format", "json").output)
    assert listing[0]["turns"] == len(shown["turns"])
    assert "Physio 4" in run("transcripts", "show", study_path, "1").output


def test_manifest_and_speaker_map(study_path: str, tmp_path: Path) -> None:
    write(tmp_path, "r.csv", "label,group\nP1,Student\nP2,Student\n")
    run("participants", "import", study_path, str(tmp_path / "r.csv"))
    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "a.vtt").write_bytes(teams().read_bytes())
    (folder / "b.vtt").write_bytes(
        shared("bristlenose-transcript-fixtures/Session 1.vtt").read_bytes()
    )
    manifest = write(
        tmp_path,
        "m.csv",
        "file,participant,date,interviewer\na.vtt,P1,2026-03-02,John Smith\nb.vtt,P2,2026-03-09,\n",
    )
    speakers = write(tmp_path, "s.csv", "file,speaker,role\nb.vtt,Sarah Chen,participant\n")
    run(
        "transcripts",
        "import",
        study_path,
        str(folder),
        "--manifest",
        manifest,
        "--speakers",
        speakers,
    )
    listing = json.loads(run("transcripts", "list", study_path, "--format", "json").output)
    assert [(t["participant"], t["interview_date"], t["interviewer"]) for t in listing] == [
        ("P1", "2026-03-02", "John Smith"),
        ("P2", "2026-03-09", "Tom Baker"),
    ]
    roles = json.loads(
        run(
            "transcripts",
            "speakers",
            study_path,
            "2",
            "--set",
            "Tom Baker=participant",
            "--set",
            "Sarah Chen=interviewer",
            "--format",
            "json",
        ).output
    )
    assert {s["speaker"]: s["role"] for s in roles["speakers"]} == {
        "Sarah Chen": "interviewer",
        "Tom Baker": "participant",
    }
    run("transcripts", "set", study_path, "2", "--participant", "P1", "--date", "2026-04-01")
    assert (
        json.loads(run("transcripts", "show", study_path, "2", "--format", "json").output)[
            "participant"
        ]
        == "P1"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("transcripts", "import", "{study}", "{bad}"),
            "broken.vtt: line 3: malformed cue timing '00:00:01.000 --> soon'",
        ),
        (
            ("transcripts", "import", "{study}", "{good}", "{bad}"),
            "broken.vtt: line 3: malformed cue timing",
        ),
        (
            ("transcripts", "import", "{study}", "{good}", "--participant-speaker", "Nobody"),
            "unknown speaker 'Nobody'",
        ),
        (
            ("transcripts", "import", "{study}", "{good}", "--participant", "Physio 9"),
            "no participant 'Physio 9' in the register",
        ),
        (("transcripts", "import", "{study}", "{missing}"), "missing.vtt: cannot be read"),
        (
            ("participants", "import", "{study}", "{badcsv}"),
            "bad.csv: row 2: column 'age': 'old' is not a whole number",
        ),
        (
            ("participants", "import", "{study}", "{good}", "--prefix", "nonsense"),
            "--prefix 'nonsense': write it as GROUP=PREFIX",
        ),
        (("guide", "import", "{study}", "{badguide}"), "guide.md: no numbered questions found"),
        (("transcripts", "show", "{study}", "42"), "no transcript '42'"),
        (
            ("transcripts", "speakers", "{study}", "1", "--set", "x=boss"),
            "write it as SPEAKER=participant|interviewer|other",
        ),
        (("info", "{notastudy}"), "not a Thematica study file"),
        (("init", "{study}", "--title", "Again"), "already exists"),
        (("init", "{new}", "--title", "   "), "a study needs a title"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_changes_nothing(
    study_path: str, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    run("transcripts", "import", study_path, str(teams()))
    files = {
        "study": study_path,
        "good": str(shared("bristlenose-transcript-fixtures/Session 1.vtt")),
        "bad": write(tmp_path, "broken.vtt", "WEBVTT\n\n00:00:01.000 --> soon\nHello\n"),
        "missing": str(tmp_path / "missing.vtt"),
        "badcsv": write(tmp_path, "bad.csv", "group,age:integer\nPhysio,old\n"),
        "badguide": write(tmp_path, "guide.md", "no questions here\n"),
        "notastudy": write(tmp_path, "notes.thematica", "x" * 200),
        "new": str(tmp_path / "new.thematica"),
    }
    before = snapshot(study_path)
    result = run(*(a.format(**files) for a in args), ok=False)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output + result.stderr
    assert snapshot(study_path) == before
    assert not Path(files["new"]).exists()


def test_skip_bad_lists_the_bad_and_exits_1(study_path: str, tmp_path: Path) -> None:
    bad = write(tmp_path, "garbage.vtt", b"\x00\x01\x02" * 100)
    result = run("transcripts", "import", study_path, str(teams()), bad, "--skip-bad", ok=False)
    assert result.exit_code == 1
    assert "Imported #1 " in result.output
    assert "Skipped " in result.stderr and "garbage.vtt: this is a binary file" in result.stderr
    report = json.loads(
        run(
            "transcripts", "import", study_path, bad, "--skip-bad", "--format", "json", ok=False
        ).output
    )
    assert report["imported"] == []
    assert report["failed"][0]["reason"].startswith("this is a binary file")


def test_guide_import_and_show(study_path: str, tmp_path: Path) -> None:
    guide = write(tmp_path, "guide.md", "1. First?\n   - prompt a\n2. Second?\n")
    assert "2 questions, 1 prompts" in run("guide", "import", study_path, guide).output
    assert json.loads(run("guide", "show", study_path, "--format", "json").output) == [
        {"text": "First?", "prompts": ["prompt a"]},
        {"text": "Second?", "prompts": []},
    ]


def test_json_mode_prints_no_progress_bar(study_path: str) -> None:
    result = run("transcripts", "import", study_path, str(teams()), "--format", "json")
    json.loads(result.output)
    assert result.stderr == ""


def test_progress_ticks_once_per_file_on_a_terminal(
    study_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import thematica.cli.transcripts as transcripts_cli

    ticks: list[str] = []
    states: list[bool] = []
    real = transcripts_cli._progress

    def spy(total: int, enabled: bool):  # type: ignore[no-untyped-def]
        states.append(enabled)
        with real(total, enabled) as tick:
            yield (lambda name: (ticks.append(name), tick(name) if tick else None))

    monkeypatch.setattr(transcripts_cli, "interactive", lambda: True)
    monkeypatch.setattr(transcripts_cli, "_progress", contextlib.contextmanager(spy))
    files = [str(teams()), str(shared("bristlenose-transcript-fixtures/Session 1.vtt"))]
    run("transcripts", "import", study_path, *files)
    assert states == [True] and len(ticks) == 2
    run(
        "transcripts",
        "import",
        study_path,
        str(shared("webvtt-py-samples/sample.srt")),
        "--format",
        "json",
    )
    assert states == [True, False]


def test_blind_and_reveal_commands(study_path: str) -> None:
    run("team", "add", study_path, "Rachel Ames", "--role", "lead")
    run("team", "add", study_path, "Tom Okafor", "--role", "coder")
    run("transcripts", "import", study_path, str(teams()))
    assert "off" in run("blind", study_path, "status").output
    refused = run("blind", study_path, "on", "--by", "Tom Okafor", ok=False)
    assert refused.exit_code == 2 and "only a lead can set blind coding" in refused.stderr
    run("blind", study_path, "on", "--by", "Rachel Ames")
    assert "on" in run("blind", study_path, "status").output
    assert "Revealed" in run("transcripts", "reveal", study_path, "1", "--by", "Rachel Ames").output
