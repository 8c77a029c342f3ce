"""The standing fuzzer over every importer (issue 11, items 6 and 8), with a fixed seed and a
small budget: each input either imports or is refused with one InputError naming the file;
never another exception, never the last-resort guard; a refused import leaves the study as it
was. ``bench/run.py fuzz`` runs the same fuzzer over 100,000 inputs and more, with a per-input
watchdog (no time is asserted here)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import snapshot
from tests.faults.fuzzing import (
    BY_NAME,
    SERVICE_TARGETS,
    TARGETS,
    Seeds,
    Tally,
    Target,
    base_study,
    classify,
    import_into,
    make_input,
    shared_seeds,
)
from thematica.errors import ThematicaError

SEED = 20261203
PER_TARGET = 120  # 18 importers: 2,160 mutated inputs, plus 640 Hypothesis examples below


@pytest.fixture(scope="module")
def seeds() -> Seeds:
    return Seeds.load()


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_every_fuzzed_input_imports_or_is_refused_in_one_line(target: Target, seeds: Seeds) -> None:
    tally = Tally()
    for index in range(PER_TARGET):
        tally.add(target.name, classify(target, make_input(seeds, target, SEED, index)), index)
    assert tally.failures == []
    counts = tally.counts[target.name]
    assert counts.get("refused", 0) > 0, counts  # the mutations do reach the parser's checks
    assert sum(counts.values()) == PER_TARGET


def test_the_real_files_of_other_tools_are_among_the_seeds() -> None:
    found, reason = shared_seeds()
    if reason is not None:
        pytest.skip(reason)
    assert all(found[name] for name in ("transcript-vtt", "transcript-docx", "qdpx", "qdc"))


def test_the_same_seed_gives_the_same_inputs(seeds: Seeds) -> None:
    for target in TARGETS:
        assert make_input(seeds, target, SEED, 7) == make_input(seeds, target, SEED, 7)
    assert make_input(seeds, TARGETS[0], SEED, 7) != make_input(seeds, TARGETS[0], SEED + 1, 7)


TEXT_TARGETS = [BY_NAME[n] for n in ("transcript-vtt", "transcript-srt", "transcript-txt")] + [
    BY_NAME[n] for n in ("register-csv", "codebook-csv", "codebook-yaml", "codings-csv", "qdc")
]


@pytest.mark.parametrize("target", TEXT_TARGETS, ids=[t.name for t in TEXT_TARGETS])
@settings(
    derandomize=True,
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "WEBVTT\n\n",
                    "00:00:01.000 --> 00:00:02.000\n",
                    "1\n",
                    "<v Ann>",
                    "Ann: ",
                    "path,description\n",
                    "transcript,coder,code,start,end\n",
                    "label,group\n",
                    "codes:\n  - path: ",
                    "themes: [{name: x, children: [",
                    " > ",
                    ",",
                    '"',
                    "\n",
                    '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>',
                    '<Code guid="g" name="n">',
                    "</Code>",
                    "99999999999999999999",
                ]
            ),
            st.text(max_size=20),
        ),
        max_size=30,
    ).map("".join),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
)
def test_text_from_hypothesis_imports_or_is_refused(
    target: Target, text: str, encoding: str
) -> None:
    data = text.encode(encoding, errors="replace")
    outcome = classify(target, data)
    assert outcome.kind in ("imported", "refused"), outcome.detail


def _refused_in_the_study(location: str, target: Target, data: bytes, parsed: object) -> bool:
    """Import one input; True if the study refused it, having checked nothing changed."""
    before = snapshot(location)
    try:
        import_into(location, target, data, parsed)
    except ThematicaError as exc:
        assert "\n" not in str(exc)
        assert snapshot(location) == before, f"{target.name}: a refused import changed the study"
        return True
    return False


def test_inputs_that_parse_are_taken_whole_or_refused_whole(location: str, seeds: Seeds) -> None:
    """The service slice: mutated inputs that the importers accept go on into a study, on
    SQLite and PostgreSQL. Every import is all or nothing."""
    base_study(location)
    refused = imported = 0
    for target in TARGETS:
        if target.name not in SERVICE_TARGETS or target.name == "qdpx":
            continue
        taken = 0
        for index in range(60):
            data = make_input(seeds, target, SEED, index)
            outcome = classify(target, data)
            if outcome.kind != "imported":
                continue
            if _refused_in_the_study(location, target, data, outcome.parsed):
                refused += 1
            else:
                imported += 1
            taken += 1
            if taken == 3:
                break
    assert refused > 0 and imported > 0, (refused, imported)


def test_fuzzed_projects_create_a_study_or_nothing(tmp_path: Path, seeds: Seeds) -> None:
    target = BY_NAME["qdpx"]
    created = 0
    for index in range(80):
        data = make_input(seeds, target, SEED, index)
        outcome = classify(target, data)
        if outcome.kind != "imported":
            continue
        path = tmp_path / f"{index}.thematica"
        try:
            import_into(str(path), target, data, outcome.parsed)
            created += 1
        except ThematicaError:
            assert not list(tmp_path.glob(f"{index}.thematica*")), "a refused project left a file"
    assert created > 0


CLI = [sys.executable, "-c", "from thematica.cli.main import main; main()"]
END_TO_END = {
    "register-xlsx": "participants import",
    "transcript-vtt": "transcripts import",
    "transcript-docx": "transcripts import",
    "codebook-yaml": "codebook import",
    "codings-xlsx": "codings import",
    "guide-docx": "guide import",
    "qdc": "qdc import",
}


@pytest.fixture(scope="module")
def filled_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("base") / "base.thematica"
    base_study(str(path))
    return path


@pytest.mark.parametrize("name", END_TO_END, ids=list(END_TO_END))
def test_the_cli_refuses_a_fuzzed_file_in_one_line(
    name: str, seeds: Seeds, filled_study: Path, tmp_path: Path
) -> None:
    target = BY_NAME[name]
    index = next(
        i
        for i in range(500)
        if classify(target, make_input(seeds, target, SEED, i)).kind == "refused"
    )
    file = tmp_path / target.file_name
    file.write_bytes(make_input(seeds, target, SEED, index))
    study = tmp_path / "study.thematica"
    shutil.copy(filled_study, study)
    before = snapshot(str(study))
    done = subprocess.run(
        [*CLI, *END_TO_END[name].split(), str(study), str(file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(f"Error: {file}: "), done.stderr
    assert snapshot(str(study)) == before


def test_the_cli_refuses_a_fuzzed_project_and_creates_nothing(seeds: Seeds, tmp_path: Path) -> None:
    target = BY_NAME["qdpx"]
    index = next(
        i
        for i in range(500)
        if classify(target, make_input(seeds, target, SEED, i)).kind == "refused"
    )
    file = tmp_path / target.file_name
    file.write_bytes(make_input(seeds, target, SEED, index))
    done = subprocess.run(
        [*CLI, "qdpx", "import", str(file), str(tmp_path / "new.thematica")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(f"Error: {file}: "), done.stderr
    assert [p.name for p in tmp_path.iterdir()] == [target.file_name]
