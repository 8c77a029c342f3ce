"""A whole study through REFI-QDA and back: the demo study, exported, validated and re-imported."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner, Result
from lxml import etree

from tests.conftest import shared
from thematica.cli.main import cli
from thematica.service import StudyService


def run(*args: str, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


def test_demo_round_trip_through_qdpx(tmp_path: Path) -> None:
    run("demo", str(tmp_path))
    study, exported, back = (
        tmp_path / "demo.thematica",
        tmp_path / "demo.qdpx",
        tmp_path / "back.thematica",
    )
    refused = run("qdpx", "export", str(study), str(exported), ok=False)
    assert refused.exit_code == 2 and "refused:" in refused.stderr and not exported.exists()
    run("qdpx", "export", str(study), str(exported), "--allow-identifiers")
    import zipfile

    schema = etree.XMLSchema(etree.parse(str(shared("refi-qda-schemas/Project-mrt2019.xsd"))))
    with zipfile.ZipFile(exported) as archive:
        assert schema.validate(etree.fromstring(archive.read("project.qde"))), (
            schema.error_log.last_error
        )
    run("qdpx", "import", str(exported), str(back))
    with StudyService.open(str(study)) as a, StudyService.open(str(back)) as b:

        def codings(s: StudyService) -> list[tuple[object, ...]]:
            return sorted(
                (c.participant, c.code, c.level, c.coder, c.start, c.end, c.text, c.memo or "")
                for c in s.codings()
            )

        assert codings(a) == codings(b) and len(codings(a)) == 460
        assert a.participants() == b.participants() and a.attribute_defs() == b.attribute_defs()
        assert [(c.path, c.level, c.description, c.colour) for c in a.codes()] == [
            (c.path, c.level, c.description, c.colour) for c in b.codes()
        ]
        assert [(n.path, n.description, n.codes, n.divergent) for n in a.themes()[0]] == [
            (n.path, n.description, n.codes, n.divergent) for n in b.themes()[0]
        ]
        assert [(x.source, x.target, x.label) for x in a.themes()[1]] == [
            (x.source, x.target, x.label) for x in b.themes()[1]
        ]
        for ta, tb in zip(a.transcripts(), b.transcripts(), strict=True):
            full_a, full_b = a.transcript(str(ta.id)), b.transcript(str(tb.id))
            assert (full_a.text, full_a.turns, full_a.participant, full_a.interview_date) == (
                full_b.text,
                full_b.turns,
                full_b.participant,
                full_b.interview_date,
            )
        for level in (1, 2):  # level one reaches themes through code origins: they must travel too
            assert [(t.path, t.rolled_up, t.divergent) for t in a.counts(level=level).themes] == [  # type: ignore[arg-type]
                (t.path, t.rolled_up, t.divergent)
                for t in b.counts(level=level).themes  # type: ignore[arg-type]
            ]
        assert (a.info().research_question, a.info().approach) == (
            b.info().research_question,
            b.info().approach,
        )
        assert a.guide() == b.guide() and len(a.guide()) == 3
        roles = {m.name: (m.role.value, m.anonymised_only) for m in b.team()}
        assert roles["Helen Marsh"] == ("reader", True)  # no codings: stays a reader


def test_a_bad_qdpx_leaves_no_study_behind(tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    target = tmp_path / "new.thematica"
    result = run("qdpx", "import", str(bad), str(target), ok=False)
    assert (
        result.exit_code == 2
        and "bad.qdpx" in result.stderr
        and len(result.stderr.strip().splitlines()) == 1
    )
    assert not target.exists()


def test_qdc_export_checks_what_the_codebook_carries(tmp_path: Path) -> None:
    """A participant's real name (from the key file) in a code's name, or an e-mail address in
    a description, stops the export (the file is not written); --allow-identifiers writes it
    and says how many it let through."""
    from tests.conftest import snapshot

    run("demo", str(tmp_path))
    study, out = tmp_path / "demo.thematica", tmp_path / "codebook.qdc"
    with StudyService.open(str(study)) as s:
        s.describe_code(
            ("Goals and activity", "Graded steps"),
            description="ask j.doe@example.org about this",
            by="Rachel Ames",
        )
        s.rename_code(("Goals and activity",), "Siobhán's goals", by="Rachel Ames")
    before = snapshot(str(study))
    refused = run("qdc", "export", str(study), str(out), ok=False)
    assert refused.exit_code == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "2 possible identifiers in the codebook" in refused.stderr
    assert "code \"Siobhán's goals\" name [0:7]: 'Siobhán'" in refused.stderr
    assert 'code "Siobhán\'s goals > Graded steps" description' in refused.stderr
    assert not out.exists() and snapshot(str(study)) == before
    written = run("qdc", "export", str(study), str(out), "--allow-identifiers")
    assert out.exists() and "written with 2 possible identifiers" in written.stderr


def test_codebook_round_trip_through_qdc(tmp_path: Path) -> None:
    from thematica.exchange.refi import read_qdc

    run("demo", str(tmp_path))
    study, out = tmp_path / "demo.thematica", tmp_path / "codebook.qdc"
    # the demo's transcripts are not anonymised, but a .qdc carries none of them: the residual
    # check covers the codebook's own text, which is clean
    run("qdc", "export", str(study), str(out))
    schema = etree.XMLSchema(etree.parse(str(shared("refi-qda-schemas/Codebook-mrt2019.xsd"))))
    assert schema.validate(etree.parse(str(out))), schema.error_log.last_error
    project = read_qdc(out.read_bytes(), out.name)
    with StudyService.open(str(study)) as s:
        exported = s.export_project()
    assert sorted(
        (c.guid, c.name, c.parent, c.level, c.theme, c.colour, c.description) for c in project.codes
    ) == sorted(
        (c.guid, c.name, c.parent, c.level, c.theme, c.colour, c.description)
        for c in exported.codes
    )
    assert {(x.name, x.codes) for x in project.sets} == {(x.name, x.codes) for x in exported.sets}
    # the codebook alone is the whole project without what a .qdc leaves out, read without it
    with StudyService.open(str(study)) as s:
        alone = s.export_project(codebook_only=True)
    assert alone == replace(exported, sources=(), cases=(), notes=(), links=())
    empty = tmp_path / "empty.thematica"
    run("init", str(empty), "--title", "Empty")
    run("qdc", "import", str(empty), str(out))
    with StudyService.open(str(empty)) as s:
        assert len(s.codes()) == sum(1 for c in exported.codes if not c.theme)
