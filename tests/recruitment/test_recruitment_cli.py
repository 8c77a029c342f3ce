"""Issue 18 acceptance: 20 candidates recruited through the command line (4 ineligible, each for
a different criterion; 2 decline; 12 consent; 1 withdraws after coding; 1 lost to follow-up and
1 still waiting). The participant flow figure's numbers and COREQ items 10 to 13 agree, and
Table 1 describes the 11 participants analysed."""

from __future__ import annotations

import csv
import io
import re
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from thematica.cli.main import cli
from thematica.cli.report import report
from thematica.report.checklists import coreq_answers
from thematica.report.data import gather
from thematica.service import StudyService, TranscriptSource

LEAD = "Rachel Ames"
CRITERIA = [
    ("I1", "Registered physiotherapist or occupational therapist", False),
    ("I2", "Sees adults with persistent MSK pain", False),
    ("E1", "Works only in research", True),
    ("E2", "Line manager of the interviewer", True),
]
# the four ineligible candidates, each failing a different criterion
INELIGIBLE = {"C03": "I1=no", "C07": "I2=no", "C11": "E1=yes", "C15": "E2=yes"}
DECLINE = {"C05": "no time", "C09": "not interested"}
LOST_BEFORE_SCREENING = "C19"
WAITING = "C20"
WITHDRAWS = "C02"


def run(*args: str, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, list(args), env={"THEMATICA_MEMBER": LEAD})
    if ok:
        assert result.exit_code == 0, result.output
    return result


def refs() -> list[str]:
    return [f"C{i:02d}" for i in range(1, 21)]


def consenting() -> list[str]:
    out = set(INELIGIBLE) | set(DECLINE) | {LOST_BEFORE_SCREENING, WAITING}
    return [r for r in refs() if r not in out]


def group_of(ref: str) -> str:
    return "OT" if int(ref[1:]) % 3 == 0 else "Physio"


@pytest.fixture(scope="module")
def recruited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("recruit")
    study = str(folder / "recruit.thematica")
    run("init", study, "--title", "Clinicians and low mood", "--approach", "reflexive")
    run("team", "add", study, LEAD, "--role", "lead")
    run("recruitment", "plan", study, "--max", "12", "--rule", "guest",
        "--sampling", "Purposive, by profession")  # fmt: skip
    for key, text, exclusion in CRITERIA:
        run("recruitment", "criterion", study, key, text, *(["--exclusion"] if exclusion else []))
    # ten by `add`, ten from a CSV file
    for ref in refs()[:10]:
        run("recruitment", "add", study, ref, "--group", group_of(ref), "--source",
            "professional body", "--approach", "email", "--date", "2026-03-01")  # fmt: skip
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["id", "group", "source", "approach", "approached"])
    for ref in refs()[10:]:
        writer.writerow([ref, group_of(ref), "social media", "face-to-face", "2026-03-02"])
    (folder / "candidates.csv").write_text(rows.getvalue(), encoding="utf-8")
    assert (
        "Added 10 candidates"
        in run("recruitment", "import", study, str(folder / "candidates.csv")).output
    )
    run("recruitment", "status", study, LOST_BEFORE_SCREENING, "lost", "--reason",
        "no reply", "--date", "2026-03-20")  # fmt: skip
    for ref in refs():
        if ref in (LOST_BEFORE_SCREENING, WAITING):
            continue
        answers = ["--answer", INELIGIBLE[ref]] if ref in INELIGIBLE else []
        shown = run("recruitment", "screen", study, ref, "--all-met", *answers,
                    "--date", "2026-03-05").output  # fmt: skip
        assert ("ineligible" if ref in INELIGIBLE else "eligible") in shown
    for ref, reason in DECLINE.items():
        run(
            "recruitment",
            "status",
            study,
            ref,
            "declined",
            "--reason",
            reason,
            "--date",
            "2026-03-06",
        )
    for ref in consenting():
        shown = run("recruitment", "consent", study, ref, "--sheet", "v2", "--form", "v1.1",
                    "--kept-at", "Site file A", "--date", "2026-03-08").output  # fmt: skip
        assert "participant" in shown
    # the interviews: one plain-text transcript each, coded by the lead alone
    with StudyService.open(study) as service:
        people = [p.label for p in service.participants()]
        service.import_transcripts(
            [
                TranscriptSource(
                    f"{label}.txt",
                    partial(bytes, f"Interviewer: Tell me.\n{label}: pain and mood {i}\n".encode()),
                    participant=label,
                )
                for i, label in enumerate(people)
            ]
        )
    codes = folder / "codes.csv"
    codes.write_text("path\nMood > Pain\nMood > Worry\n", encoding="utf-8")
    run("codebook", "import", study, str(codes))
    codings = "transcript,coder,code,start,end\n" + "".join(
        f"{label},{LEAD},Mood > {'Pain' if i % 2 else 'Worry'},0,4\n"
        for i, label in enumerate(people)
    )
    (folder / "codings.csv").write_text(codings, encoding="utf-8")
    run("codings", "import", study, str(folder / "codings.csv"), "--level", "1")
    run("themes", "add", study, "Living with it")
    run("themes", "add", study, "Living with it > Mood")
    run("themes", "assign", study, "Living with it > Mood", "Mood > Pain")
    run("themes", "assign", study, "Living with it > Mood", "Mood > Worry")
    # one participant withdraws after their interview was coded
    run("recruitment", "status", study, WITHDRAWS, "withdrawn", "--reason", "changed jobs")
    stopped = run("recruitment", "stop", study, "--memo", "Twelve interviews, as planned.").output
    assert f"Recruitment stopped by {LEAD} after 12 interviews" in stopped
    return Path(study)


def test_the_log_holds_every_candidate(recruited: Path) -> None:
    import json

    log = json.loads(run("recruitment", "list", str(recruited), "--format", "json").output)
    statuses = {c["ref"]: c["status"] for c in log["candidates"]}
    assert len(statuses) == 20
    assert {statuses[r] for r in INELIGIBLE} == {"ineligible"}
    excluded = {c["ref"]: c["excluded_by"] for c in log["candidates"] if c["excluded_by"]}
    assert excluded == {r: a.split("=")[0] for r, a in INELIGIBLE.items()}
    assert [statuses[r] for r in DECLINE] == ["declined", "declined"]
    assert statuses[WITHDRAWS] == "withdrawn" and statuses[WAITING] == "approached"
    assert sum(1 for s in statuses.values() if s == "interviewed") == 11
    labels = [c["participant"] for c in log["candidates"] if c["participant"]]
    # C01, C02, C04, C06 (C03 is ineligible): the next label of each group, in order
    assert labels[:4] == ["Physio 1", "Physio 2", "Physio 3", "OT 1"]
    assert len(set(labels)) == 12


def flow_numbers(svg: str) -> dict[str, int]:
    text = re.sub(r"<[^>]+>", " ", svg)
    return {
        name: int(n)
        for name, n in re.findall(r"(Approached|Screened for eligibility|Eligible|Consented|"
                                  r"Interviewed|Analysed|Excluded|Did not consent|Not screened|"
                                  r"Withdrew after interview)\s+\(n = (\d+)\)", text)
    }  # fmt: skip


def test_flow_figure_coreq_and_table1_agree(recruited: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(
        report, [str(recruited), "--out", str(out), "--format", "md,csv", "--allow-identifiers"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "participant-flow.png").read_bytes()[:4] == b"\x89PNG"
    numbers = flow_numbers((out / "participant-flow.svg").read_text(encoding="utf-8"))
    assert numbers == {
        "Approached": 20,
        "Not screened": 1,  # lost to follow-up (the waiting candidate is not counted as gone)
        "Screened for eligibility": 18,
        "Excluded": 4,
        "Eligible": 14,
        "Did not consent": 2,
        "Consented": 12,
        "Interviewed": 12,
        "Withdrew after interview": 1,
        "Analysed": 11,
    }
    with StudyService.open(str(recruited)) as service:
        data = gather(service)
    answers = coreq_answers(data)
    assert "Purposive, by profession" in answers[10]
    assert "professional body (10)" in answers[10] and "social media (10)" in answers[10]
    assert answers[11] == "email (10), face-to-face (10)"
    assert answers[12].startswith(f"{numbers['Analysed']} participants")
    assert f"{numbers['Consented']} of {numbers['Approached']} candidates" in answers[12]
    assert f"{numbers['Withdrew after interview']} withdrew after interview" in answers[12]
    assert answers[13].startswith(f"{numbers['Excluded']} ineligible (")
    for key, text, _ in CRITERIA:
        assert f"{key}: {text} (1)" in answers[13]
    assert f"{numbers['Did not consent']} declined (no time (1), not interested (1))" in answers[13]
    assert "1 lost to follow-up (no reply (1))" in answers[13]
    assert "1 withdrew after interview (changed jobs (1))" in answers[13]
    # Table 1: the 11 analysed, not the participant who withdrew
    assert len(data.participants) == 11
    assert "Physio 2" not in {p.label for p in data.participants}
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "participant-flow.png" in markdown
    assert markdown.index("participant-flow") < markdown.index("## Themes")
    assert "Written informed consent was obtained from all 12 participants" in markdown
    assert "11 participants (Physio 8, OT 3)" in markdown
    # the lead's decision to stop is cited in the saturation section and COREQ 10 and 22
    assert "**Decision to stop:** Recruitment stopped on " in markdown
    assert f"by {LEAD} after 12 coded interviews" in markdown
    assert "“Twelve interviews, as planned.”" in answers[10]
    assert "“Twelve interviews, as planned.”" in answers[22]


def test_bad_input_is_refused_and_changes_nothing(recruited: Path, tmp_path: Path) -> None:
    from tests.conftest import snapshot

    study = str(recruited)
    before = snapshot(study)
    cases = [
        (["recruitment", "consent", study, WAITING, "--sheet", "v2", "--form", "v1",
          "--kept-at", "A"], "only an eligible candidate can consent (screen them first)"),
        (["recruitment", "screen", study, "C01", "--all-met"], "already screened on 2026-03-05"),
        (["recruitment", "screen", study, WAITING, "--answer", "X9=yes"],
         "no screening criterion 'X9' (criteria: I1, I2, E1, E2)"),
        (["recruitment", "status", study, WITHDRAWS, "withdrawn"], "already withdrawn"),
        (["recruitment", "add", study, "jo@example.org"], "looks like an e-mail address"),
    ]  # fmt: skip
    for args, message in cases:
        result = run(*args, ok=False)
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert result.output.count("\n") == 1  # one line
    assert snapshot(study) == before
