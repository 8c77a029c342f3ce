"""The ``thematica`` command: a thin layer over :class:`thematica.service.StudyService`."""

from __future__ import annotations

import importlib
from typing import Any

import click

from thematica import __version__
from thematica.audit_client import acting_from
from thematica.cli.output import CliError
from thematica.errors import ThematicaError
from thematica.lazy import freeze_after_imports, imports_without_gc

# Every command: the module that defines it (imported only when the command runs or shows its
# help, so `thematica --help` and `thematica COMMAND --help` stay fast) and the start of its
# help text, for the command list. tests/cli/test_startup.py checks that each summary is where
# its help text begins.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("study", "Create a new, empty study at STUDY (a file path or a PostgreSQL URL)."),
    "info": ("study", "Describe the study: title, question, approach, team and headline counts."),
    "upgrade": ("study", "Bring STUDY's schema up to this version of Thematica."),
    "demo": ("study", "Write the fictional demo study into DIRECTORY and print its path."),
    "team": (
        "team",
        "The research team: who codes, who leads, who only reads; their passwords and invitations.",
    ),
    "participants": (
        "participants",
        "The participant register: labels, groups and typed attributes.",
    ),
    "transcripts": (
        "transcripts",
        "Interview transcripts: Teams/Zoom WebVTT, SRT, Teams .docx, text and Markdown.",
    ),
    "guide": ("guide", "The interview guide: ordered questions with their prompts."),
    "codebook": (
        "codebook",
        "The codebook: codes at any depth, level one (per coder) and level two (agreed).",
    ),
    "themes": (
        "themes",
        "The theme framework: overarching themes > themes > sub-themes, with interlinks.",
    ),
    "codings": ("codebook", "Codings: who coded which span of which transcript with which code."),
    "agreement": ("analysis", "Inter-coder agreement between two coders"),
    "counts": ("analysis", "Single counts: distinct participants per theme node and per code"),
    "saturation": ("analysis", "Data saturation: new codes per interview, the cumulative curve"),
    "matrix": ("analysis", "Themes (or codes) by the values of a participant attribute"),
    "cooccurrence": ("analysis", "Codes that share a speaker turn or overlap: counts and Jaccard."),
    "anonymise": ("anonymise", "Anonymise transcripts with a separate key file"),
    "qdpx": (
        "exchange",
        "REFI-QDA projects (.qdpx): exchange with NVivo, ATLAS.ti, MAXQDA and QualCoder.",
    ),
    "qdc": ("exchange", "REFI-QDA codebooks (.qdc)."),
    "report": ("report", "Write a publication-ready report of STUDY"),
    "serve": ("serve", "Open STUDY in the workbench: a web app on this machine"),
    "blind": ("study", "Blind level-one coding: while on, each coder sees only their own codings"),
    "reconcile": (
        "reconcile",
        "Reconcile two coders' level-one coding, one disagreement at a time.",
    ),
    "journal": ("notes", "Each researcher's reflexive journal and field notes"),
    "memo": ("notes", "Memos on codes, themes, transcripts and codings"),
    "search": ("notes", "Search the transcripts for every word of QUERY"),
    "recruitment": (
        "recruitment",
        "The recruitment log: screening criteria, candidates, consent and the stopping rule.",
    ),
    "audit-log": (
        "audit",
        "Show or export the audit log: who changed what, when, from which client",
    ),
    "audit": (
        "manuscript",
        "Check a draft (DOCX, Markdown, plain text or HTML) against STUDY: every count claim",
    ),
}


class ThematicaGroup(click.Group):
    """The top-level command: loads each subcommand's module on first use, and turns every
    :class:`ThematicaError` into one clear line and exit code 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = COMMANDS.get(cmd_name)
        if found is None:
            return None
        with imports_without_gc():
            module = importlib.import_module(f"thematica.cli.{found[0]}")
        command = getattr(module, cmd_name.replace("-", "_"))  # audit-log: audit_log
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from :data:`COMMANDS`, without importing any command's module."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = []
        for name in self.list_commands(ctx):
            summary = COMMANDS[name][1]
            if len(summary) > limit:
                summary = summary[: max(limit - 3, 10)].rsplit(" ", 1)[0] + "..."
            rows.append((name, summary))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with acting_from("cli"):  # the audit log's client for every change a command makes
                return super().invoke(ctx)
        except ThematicaError as exc:
            raise CliError(str(exc)) from None


@click.group(cls=ThematicaGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="thematica")
def cli() -> None:
    """Thematica: rigorous, local-first thematic analysis of interview studies.

    A study is one file (*.thematica) or, for a team server, a PostgreSQL URL
    (postgresql+psycopg://user@host/db). Start with:

    \b
        thematica demo ~/thematica-demo
        thematica info ~/thematica-demo/demo.thematica
    """


def main() -> None:
    freeze_after_imports()  # this process is the command: its imports are kept to the end
    cli(prog_name="thematica")
