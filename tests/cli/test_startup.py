"""Fast start: ``thematica --help`` and every ``thematica COMMAND --help`` load no database,
parsing or report code (bench/run.py cli measures the time; this checks the cause)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from tests.cli.commands import all_commands
from thematica.cli.main import COMMANDS, cli

HEAVY = ("sqlalchemy", "alembic", "openpyxl", "docx", "lxml", "matplotlib", "uvicorn", "numpy")
PROBE = """
import json, sys
from thematica.cli.main import cli
try:
    cli(sys.argv[2:], prog_name="thematica", standalone_mode=False)
except SystemExit:
    pass
heavy = set(sys.argv[1].split(","))
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & heavy)))
"""


def loaded_by(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(HEAVY), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_top_level_help_loads_nothing_heavy() -> None:
    assert loaded_by("--help") == []
    assert loaded_by("--version") == []


@pytest.mark.parametrize("path", all_commands(cli), ids=" ".join)
def test_a_command_help_loads_nothing_heavy(path: tuple[str, ...]) -> None:
    assert loaded_by(*path, "--help") == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_summary_is_where_its_help_begins(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.help
    help_text = " ".join(command.help.split())
    assert help_text.startswith(COMMANDS[name][1].rstrip(".:,")), name


# What a command that opens a study and reports on it needs: the database and the service's
# core, not the parsers, the anonymiser, reconciliation, exchange, analysis or password hashing
# (each is loaded at its first use: thematica.lazy).
NOT_FOR_INFO = (
    "thematica.importers",
    "thematica.service.anonymise",
    "thematica.anonymise",
    "thematica.service.reconcile",
    "thematica.service.exchange",
    "thematica.exchange",
    "thematica.service.analysis",
    "thematica.service.accounts",
    "thematica.service.framework",
    "thematica.service.notes",
    "thematica.service.search",
    "argon2",
    "lxml",
    "openpyxl",
    "docx",
    "numpy",
    "matplotlib",
)
OPENING_PROBE = """
import json, sys
from thematica.cli.main import cli
try:
    cli(sys.argv[2:], prog_name="thematica", standalone_mode=False)
except SystemExit:
    pass
wanted = sys.argv[1].split(",")
# a module thematica.lazy has registered but nobody used yet is not loaded
loaded = [n for n, m in list(sys.modules.items()) if type(m).__name__ != "_LazyModule"]
print(json.dumps(sorted(w for w in wanted if any(n == w or n.startswith(w + ".") for n in loaded))))
"""


def test_a_command_opening_a_study_loads_only_what_it_uses(tmp_path: Path) -> None:
    study = tmp_path / "s.thematica"
    subprocess.run(
        [sys.executable, "-m", "thematica", "init", str(study), "--title", "Start-up"],
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-c", OPENING_PROBE, ",".join(NOT_FOR_INFO), "info", str(study)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_the_workbench_loads_every_lazy_part_before_it_serves(tmp_path: Path) -> None:
    """Before Python 3.12.3 two threads using a lazy module for the first time at once could see
    it half loaded (CPython gh-114763): the workbench loads them all before it serves."""
    study = tmp_path / "s.thematica"
    subprocess.run(
        [sys.executable, "-m", "thematica", "init", str(study), "--title", "Start-up"],
        check=True,
        capture_output=True,
    )
    probe = (
        "import sys\n"
        "from thematica.web.app import create_app\n"
        f"create_app({str(study)!r})\n"
        "print(sum(type(m).__name__ == '_LazyModule' for m in list(sys.modules.values())))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "0"


GC_PROBE = """
import gc, json, sys
from thematica.cli.main import main
sys.argv = ["thematica", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


def test_a_command_imports_the_service_without_collections_and_freezes_it(
    tmp_path: Path,
) -> None:
    """The collector is off while SQLAlchemy and the service load (about 15 % of a command's
    start), then on again, with what was imported frozen out of later collections."""
    study = tmp_path / "s.thematica"
    subprocess.run(
        [sys.executable, "-m", "thematica", "init", str(study), "--title", "Start-up"],
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-c", GC_PROBE, "info", str(study)],
        capture_output=True,
        text=True,
        check=True,
    )
    state = json.loads(done.stdout.strip().splitlines()[-1])
    assert state["enabled"] is True
    assert state["frozen"] > 50_000  # SQLAlchemy's and the service's objects


def test_imports_without_gc_restores_the_collector_and_freezes_only_new_imports() -> None:
    import gc

    from thematica.lazy import imports_without_gc

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with imports_without_gc():
        assert not gc.isenabled()
        import thematica.cli.output  # noqa: F401  (already loaded: nothing new)
    assert gc.isenabled()
    # nothing new imported: nothing frozen. ("<=", not "==": a frozen object that another
    # thread of the test process lets go of leaves the permanent generation meanwhile.)
    assert gc.get_freeze_count() <= frozen
    sys.modules.pop("colorsys", None)
    with imports_without_gc():
        import colorsys  # noqa: F401  (new, but this process is not the command)
    assert gc.get_freeze_count() <= frozen
    with pytest.raises(RuntimeError), imports_without_gc():
        raise RuntimeError("an import that fails")
    assert gc.isenabled()


RENDERERS = "rich.console,rich.table,rich.tree,rich.progress"


@pytest.mark.parametrize(
    "command",
    [
        ("info", "{study}", "--format", "json"),
        ("transcripts", "import", "{study}", "{file}", "--format", "json"),
        ("transcripts", "list", "{study}", "--format", "json"),
        ("counts", "{study}", "--format", "json"),
        ("codebook", "show", "{study}", "--format", "json"),
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_json_output_does_not_load_the_text_renderer(
    demo_copy: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """rich draws tables and trees for text output; ``--format json`` starts without its
    renderers (``rich.box``, a few constants, may load)."""
    text = tmp_path / "p1.txt"
    text.write_text("Interviewer: How is work?\nParticipant: Busy.\n", encoding="utf-8")
    args = [a.format(study=demo_copy, file=text) for a in command]
    done = subprocess.run(
        [sys.executable, "-c", OPENING_PROBE, RENDERERS, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    if command[0] == "counts":  # the text output still draws its tables
        drawn = subprocess.run(
            [sys.executable, "-m", "thematica", "counts", str(demo_copy)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "n/N" in drawn.stdout
