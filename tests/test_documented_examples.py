"""Every documented example runs as written (issue 13, item 7).

The examples are collected from every command's ``--help`` text and from the README's code
blocks. A command's examples, and a README block's lines, run in order against a fresh scratch
folder holding a copy of the demo study under the name the examples use (``msk.thematica``)
and the files they name (``register.csv``, ``interviews/``, ...), made from the project's own
demo data. An example that creates a study (``init``, ``demo``, a ``qdpx import``) runs where
no study of that name exists yet. Each must exit 0 and print something.

Lines that show a command's shape rather than an example (``[--format json]``, ``a|b``, ``...``)
are not run. The few examples that cannot run here are listed in ``NOT_RUN`` with the reason.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from tests.cli.commands import all_commands
from tests.exchange import team_study
from thematica.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "thematica" / "demo" / "data"
README = ROOT / "README.md"
STUDY = "msk.thematica"

NOT_RUN = {
    "serve": "starts the workbench and waits for Ctrl+C (tests/web covers it)",
    "anonymise review msk.thematica --interactive": "waits for a person's answers (tests/anonymise)",
    "team passwd": "asks for the password twice without showing it (tests/cli/test_team.py)",
    "upgrade postgresql+psycopg://thematica@db.example/msk": "needs a team server at db.example",
}


@dataclass(frozen=True)
class Example:
    where: str  # "help: codebook merge" or "README line 57"
    lines: tuple[tuple[str, ...], ...]  # argument lists, without the leading "thematica"

    def __str__(self) -> str:
        return self.where


def _template(line: str) -> bool:
    """A line that shows a command's shape, not an example to run."""
    bare = re.sub(r"\"[^\"]*\"|'[^']*'", "", line.split(" #", 1)[0])
    return "[" in bare or "|" in bare or "..." in bare


def _argv(line: str) -> tuple[str, ...] | None:
    line = line.strip()
    for prefix in (".venv/bin/thematica ", "thematica "):
        if line.startswith(prefix) and not _template(line):
            return tuple(shlex.split(line[len(prefix) :], comments=True))
    return None


def help_examples() -> Iterator[Example]:
    for path in all_commands(cli):
        text = CliRunner().invoke(cli, [*path, "--help"]).output
        block = text.split("Example", 1)[1] if "Example" in text else ""
        joined = re.sub(r"\\\n\s*", " ", block)
        lines = tuple(argv for raw in joined.splitlines() if (argv := _argv(raw)) is not None)
        if lines:
            yield Example("help: " + " ".join(path), lines)


def readme_examples() -> Iterator[Example]:
    block: list[tuple[str, ...]] = []
    start = 0
    for number, raw in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        text = raw.strip()
        if text.startswith("```bash"):
            block, start = [], number
        elif text.startswith("```"):
            if block:
                yield Example(f"README line {start}", tuple(block))
            block = []
        elif (argv := _argv(text)) is not None:
            block.append(argv)


EXAMPLES = [*help_examples(), *readme_examples()]


def _not_run(argv: tuple[str, ...]) -> str | None:
    """Why this line of an example is not run here, or None."""
    line = " ".join(argv)
    return next((why for start, why in NOT_RUN.items() if line.startswith(start)), None)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


# Examples of what only an anonymised study may do (exports, the report, a clean check) run
# against the demo anonymised the way the README shows.
NEEDS_ANONYMISED = ("qdpx export", "qdc export", "report", "anonymise check")


@pytest.fixture(scope="module")
def anonymised(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("anonymised")
    shutil.copyfile(demo / "demo.thematica", folder / "demo.thematica")
    shutil.copyfile(demo / "demo.thematica-key", folder / "demo.thematica-key")
    study = str(folder / "demo.thematica")
    for args in (
        ["anonymise", "identities", study, str(DATA / "identities.csv")],
        ["anonymise", "deny", study, str(DATA / "deny-list.csv")],
        ["anonymise", "scan", study],
        ["anonymise", "review", study, "--accept-all"],
        ["anonymise", "apply", study, "--by", "Rachel Ames"],
        ["anonymise", "check", study],
        ["qdpx", "export", study, str(folder / "export.qdpx")],
        ["qdc", "export", study, str(folder / "export.qdc")],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, f"{args}: {result.output}{result.stderr}"
    return folder


def _other_interview(source: Path, target: Path, speaker: str | None = None) -> None:
    """A different interview in the demo's format (a new file, not a copy of one imported)."""
    text = source.read_text(encoding="utf-8").replace("Yeah", "Yes").replace("yeah", "yes")
    if speaker:
        text = re.sub(r"<v (?!Rachel Ames|Tom Okafor)[^>]+>", f"<v {speaker}>", text)
    target.write_text(text + "\n", encoding="utf-8")


def scratch(folder: Path, demo: Path, anonymised: Path, with_study: bool, anon: bool) -> None:
    """The files the examples name, made from the demo's own data."""
    source = anonymised if anon else demo
    if with_study:
        shutil.copyfile(source / "demo.thematica", folder / STUDY)
        shutil.copyfile(source / "demo.thematica-key", folder / f"{STUDY}-key")
    for name in ("nvivo-export.qdpx", "new-project.qdpx"):
        shutil.copyfile(anonymised / "export.qdpx", folder / name)
    (folder / "team.qdpx").write_bytes(team_study.qdpx_bytes())  # issue 12's team study
    for name in ("atlas-codebook.qdc", "codebook.qdc"):
        shutil.copyfile(anonymised / "export.qdc", folder / name)
    for name in ("register.csv", "guide.md", "identities.csv", "deny-list.csv", "candidates.csv"):
        shutil.copyfile(DATA / name, folder / name)
    shutil.copyfile(DATA / "analysis" / "codebook-level1.csv", folder / "codebook.csv")
    shutil.copyfile(DATA / "analysis" / "framework.yaml", folder / "framework.yaml")
    codings = (DATA / "analysis" / "codings-level1.csv").read_text(encoding="utf-8")
    if with_study:  # the demo has these participants and codings: add new ones
        (folder / "register.csv").write_text(
            "label,group,age:integer\n,Physiotherapist,41\n,Occupational therapist,35\n",
            encoding="utf-8",
        )
        head, *rows = codings.splitlines()
        codings = "\n".join(
            [
                head,
                *(
                    r.replace(",Rachel Ames,", ",Helen Marsh,")
                    for r in rows
                    if ",Rachel Ames," in r
                ),
            ]
        )
    (folder / "coder-a.csv").write_text(codings + "\n", encoding="utf-8")
    for name in ("report.docx", "report/findings.docx"):
        (folder / name).parent.mkdir(exist_ok=True)
        document = docx.Document()
        document.add_paragraph("Participants described long waits for mental-health referrals.")
        document.save(str(folder / name))
    shutil.copyfile(DATA / "draft.md", folder / "paper.md")  # thematica audit
    paper = docx.Document()
    for block in (DATA / "draft.md").read_text(encoding="utf-8").split("\n\n"):
        line = " ".join(block.split())
        if line.startswith("#"):
            paper.add_heading(line.lstrip("# "), level=len(line) - len(line.lstrip("#")))
        else:
            paper.add_paragraph(line.lstrip("> "), style="Quote" if line[:1] == ">" else None)
    paper.save(str(folder / "paper.docx"))
    (folder / "interviews").mkdir()
    manifest = ["file,participant,interviewer,date"]
    for name, label in (("physio-1.vtt", "Physio 1"), ("ot-1.vtt", "OT 1")):
        _other_interview(DATA / "interviews" / name, folder / "interviews" / f"second-{name}")
        manifest.append(f"second-{name},{label},Rachel Ames,2026-07-01")
    (folder / "interviews.csv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    _other_interview(DATA / "interviews" / "physio-4.vtt", folder / "p4.vtt", "Jo Bloggs")
    # issue 16: a recording as long as Physio 4's interview, made here (never downloaded)
    from tests.media.recordings import wav

    wav(folder / "physio4.wav", 10 * 60, rate=1000)
    (folder / "moved").mkdir()
    shutil.copyfile(folder / "physio4.wav", folder / "moved" / "physio4.wav")


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_documented_example_runs_as_written(
    example: Example,
    demo: Path,
    anonymised: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runnable = [argv for argv in example.lines if _not_run(argv) is None]
    if not runnable:
        pytest.skip("; ".join({str(_not_run(argv)) for argv in example.lines}))
    first = " ".join(example.lines[0])
    creates = example.lines[0][0] in ("init", "demo")
    anon = first.startswith(NEEDS_ANONYMISED)
    scratch(tmp_path, demo, anonymised, with_study=not creates, anon=anon)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    for argv in runnable:
        args = [a.replace("~", str(tmp_path), 1) if a.startswith("~") else a for a in argv]
        result = CliRunner().invoke(cli, args, input="y\n")
        shown = "thematica " + shlex.join(argv)
        assert result.exit_code == 0, f"{example}: {shown}\n{result.output}{result.stderr}"
        assert (result.stdout + result.stderr).strip(), f"{example}: {shown} printed nothing"
