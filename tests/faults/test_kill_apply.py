"""``kill -9`` during ``thematica anonymise apply`` on the demo study (issue 11, item 2).

The demo is built, scanned and reviewed once per module: every finding is accepted except those
of one transcript, which stays pending (so one transcript must stay closed to readers). A run
with ``THEMATICA_FAULT_COUNT`` counts apply's fault points (every statement and commit on the
study and the key file, and the key copy's file steps); then 60 of them, evenly spaced from the
first to the last, each get a fresh copy of the study and its key and an ``apply`` killed there
(``SIGKILL``, in a forked child process armed as the hook's variable would arm it).
After each kill:

- both files open and pass SQLite's integrity check;
- the study holds either every transcript as before or every transcript as after (never a mix);
- a reader and an anonymised-only member can read only fully anonymised transcripts, in which no
  original the key file knows appears;
- a second ``apply`` completes, and leaves exactly what an uninterrupted apply leaves: the same
  text, the same replacements in the key, no finding left accepted, and ``anonymise check``
  clean of the accepted findings' originals.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from thematica.anonymise.keyfile import default_key_path
from thematica.cli.main import cli
from thematica.domain import MemberRole
from thematica.service import StudyService
from thematica.service.anonymising import AnonymisingStudy
from thematica.storage import faults

LEAD, READER, SENIOR = "Rachel Ames", "Helen Marsh", "Sam Senior"
KILLS = 60
KEPT_PENDING = 3  # the transcript whose findings are left for later review
TEAM_WORDS = {"Rachel", "Ames", "Tom", "Okafor", "Helen", "Marsh", "Sam", "Senior"}


@dataclass(frozen=True)
class Outcome:
    texts: dict[int, str]
    readable: set[int]
    replacements: int


@dataclass(frozen=True)
class Prepared:
    study: Path
    points: int
    before: Outcome
    after: Outcome
    accepted: frozenset[str]  # the accepted findings' originals
    accepted_count: int
    residue: frozenset[str]  # what ``anonymise check`` reports after an uninterrupted apply
    originals: frozenset[str]  # every original the key knows (names, terms, speakers, findings)


def copy_of(source: Path, folder: Path) -> Path:
    folder.mkdir()
    target = folder / source.name
    shutil.copy(source, target)
    shutil.copy(default_key_path(str(source)), default_key_path(str(target)))
    return target


def apply_cli(study: Path, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """``thematica anonymise apply`` in a new process, with the fault hook's variables."""
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("thematica")),
            "anonymise",
            "apply",
            str(study),
            "--pending",
            "skip",
        ],
        env={**os.environ, "THEMATICA_MEMBER": LEAD, **env},
        capture_output=True,
        timeout=120,
        check=False,
    )


def apply_killed_at(study: Path, at: int) -> int:
    """``thematica anonymise apply`` in a forked child armed as ``THEMATICA_FAULT_KILL_AT=at``
    would arm it (the child starts with Thematica already imported, which saves a second of
    start-up per kill); returns the signal that ended it."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 3
        try:
            faults._KILL_AT, faults._ARMED, faults._passed = at, True, 0
            os.environ["THEMATICA_MEMBER"] = LEAD
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            cli.main(["anonymise", "apply", str(study), "--pending", "skip"], standalone_mode=False)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.WTERMSIG(status) if os.WIFSIGNALED(status) else -os.WEXITSTATUS(status)


def replacements(key: Path) -> int:
    conn = sqlite3.connect(key)
    try:
        return int(conn.execute("SELECT count(*) FROM replacements").fetchone()[0])
    finally:
        conn.close()


def outcome(study: Path) -> Outcome:
    with StudyService.open(str(study)) as service:
        texts = {t.id: service.transcript(str(t.id)).text for t in service.transcripts()}
        readable = service.readable_transcripts(READER)
    assert readable is not None
    return Outcome(texts, readable, replacements(default_key_path(str(study))))


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def found(blob: str, originals: frozenset[str]) -> list[str]:
    return sorted(o for o in originals if re.search(rf"(?<!\w){re.escape(o)}(?!\w)", blob))


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    folder = tmp_path_factory.mktemp("demo")
    assert CliRunner().invoke(cli, ["demo", str(folder)]).exit_code == 0
    study = folder / "demo.thematica"
    with StudyService.open(str(study)) as service:
        service.add_team_member(SENIOR, MemberRole.CODER, anonymised_only=True)
        anon = AnonymisingStudy(service, default_key_path(str(study)))
        anon.scan()
        pending = anon.findings("pending")
        anon.decide(LEAD, accept=[f.id for f in pending if f.transcript_id != KEPT_PENDING])
        accepted_count = len(anon.findings("accepted"))
        accepted = frozenset(f.original for f in anon.findings("accepted"))
        speakers = {
            turn.speaker
            for t in service.transcripts()
            for turn in service.transcript(str(t.id)).turns
        }
        names = {e.name for e in anon.known_originals()} | {
            n for e in anon.known_originals() for n in e.nicknames
        }
    originals = frozenset(
        o
        for o in accepted | speakers | names | {f.original for f in pending}
        if len(o) >= 3 and o not in TEAM_WORDS and not o.startswith(("Rachel Ames", "Tom Okafor"))
    )
    counted = copy_of(study, folder / "counted")
    count_file = folder / "points"
    result = apply_cli(counted, {"THEMATICA_FAULT_COUNT": str(count_file)})
    assert result.returncode == 0, result.stderr.decode()
    after = outcome(counted)
    before = outcome(study)
    with StudyService.open(str(counted)) as service:
        residue = frozenset(residue_of(AnonymisingStudy(service, default_key_path(str(counted)))))
        for tid in after.readable:
            shown = service.transcript(str(tid), visible_to=READER)
            assert found(shown.text, originals) == [], tid
    assert before.readable == set()
    assert after.readable == set(after.texts) - {KEPT_PENDING}
    return Prepared(
        study,
        int(count_file.read_text()),
        before,
        after,
        accepted,
        accepted_count,
        residue,
        originals,
    )


def residue_of(anon: AnonymisingStudy) -> list[str]:
    """``anonymise check``'s findings, with where they are."""
    return [f"{r.where}: {r.text}" for r in anon.check()]


def spaced(points: int, n: int) -> list[int]:
    """``n`` kill points evenly spaced from the first to the last (all of them if fewer)."""
    if points <= n:
        return list(range(1, points + 1))
    return sorted({1 + round(i * (points - 1) / (n - 1)) for i in range(n)})


def test_apply_has_enough_fault_points(prepared: Prepared) -> None:
    assert prepared.points >= KILLS
    assert len(spaced(prepared.points, KILLS)) == KILLS


@pytest.mark.parametrize("nth", range(KILLS))
def test_apply_killed_at_a_fault_point(prepared: Prepared, nth: int, tmp_path: Path) -> None:
    at = spaced(prepared.points, KILLS)[nth]
    study = copy_of(prepared.study, tmp_path / "copy")
    key = default_key_path(str(study))
    assert apply_killed_at(study, at) == signal.SIGKILL, f"point {at} was not reached"
    assert integrity(study) == "ok" and integrity(key) == "ok"

    # both before or both after, as readers see it; nothing they can read holds an original
    with StudyService.open(str(study)) as service:
        texts = {t.id: service.transcript(str(t.id)).text for t in service.transcripts()}
        assert texts in (prepared.before.texts, prepared.after.texts), f"point {at}: half applied"
        for member in (READER, SENIOR):
            readable = service.readable_transcripts(member)
            assert readable in (prepared.before.readable, prepared.after.readable), at
            for tid in readable or ():
                shown = service.transcript(str(tid), visible_to=member)
                blob = shown.text + "\n" + "\n".join(turn.speaker for turn in shown.turns)
                assert found(blob, prepared.originals) == [], (at, member, tid)

        # review tells the truth: the accepted findings wait while the study holds originals
        anon = AnonymisingStudy(service, key)
        waiting = len(anon.findings("accepted"))
        assert waiting == (prepared.accepted_count if texts == prepared.before.texts else 0), at
        # the next apply finishes the job, exactly as an uninterrupted one would have
        report = anon.apply(LEAD, pending="skip")
        assert report.replacements == waiting
        assert anon.findings("accepted") == ()
        left = residue_of(anon)
    assert outcome(study) == prepared.after, f"point {at}"
    assert set(left) == prepared.residue
    elsewhere = [r for r in left if not r.startswith(f"transcript {KEPT_PENDING} ")]
    assert found("\n".join(elsewhere), prepared.accepted) == [], at
    assert sorted(p.name for p in study.parent.iterdir()) == sorted(
        [study.name, key.name, key.name + ".lock"]
    )
