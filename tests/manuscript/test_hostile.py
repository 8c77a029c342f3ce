"""Hostile drafts: each refused with one clear line naming the file, exit 2, and the study
exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import snapshot
from tests.manuscript.drafts import planted_docx, with_external_relationship, with_part
from thematica.cli.main import cli
from thematica.errors import InputError
from thematica.manuscript.draft import read_draft


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("demo")
    assert CliRunner().invoke(cli, ["demo", str(folder)]).exit_code == 0
    return str(folder / "demo.thematica")


def _refused(demo: str, draft: Path) -> str:
    before = snapshot(demo)
    result = CliRunner().invoke(cli, ["audit", demo, str(draft)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert snapshot(demo) == before
    return lines[0]


def test_a_truncated_docx(demo: str, tmp_path: Path) -> None:
    draft = tmp_path / "paper.docx"
    draft.write_bytes(planted_docx()[:3000])
    line = _refused(demo, draft)
    assert str(draft) in line
    assert "damaged or truncated" in line


def test_a_50_mb_text_file(demo: str, tmp_path: Path) -> None:
    draft = tmp_path / "huge.txt"
    with draft.open("wb") as out:
        chunk = b"Seven participants described No slack in it. " * 1024
        while out.tell() < 50 * 1024 * 1024:
            out.write(chunk)
    line = _refused(demo, draft)
    assert line == f"Error: {draft}: refused: the draft is 50 MB (a draft may be at most 10 MB)"


@pytest.mark.parametrize("kind", ["attachedTemplate", "image", "oleObject", "subDocument"])
def test_a_docx_with_external_relationships(demo: str, tmp_path: Path, kind: str) -> None:
    draft = tmp_path / "paper.docx"
    draft.write_bytes(with_external_relationship(planted_docx(), kind))
    line = _refused(demo, draft)
    assert f"refused: the document has an external relationship ({kind}" in line


def test_an_external_hyperlink_is_allowed() -> None:
    data = with_external_relationship(planted_docx(), "hyperlink")
    assert read_draft(data, "paper.docx").blocks


def test_a_docx_whose_relationships_declare_entities() -> None:
    rels = (
        "<!DOCTYPE r [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        "&e;</Relationships>"
    )
    data = with_part(planted_docx(), "word/_rels/footer.xml.rels", rels)
    with pytest.raises(InputError) as caught:
        read_draft(data, "paper.docx")
    assert str(caught.value) == (
        "paper.docx: refused: word/_rels/footer.xml.rels declares a DTD or entities (not a Word file)"
    )


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.md", b"  \n\n", "the file is empty"),
        ("binary.txt", b"\x00\x01\x02\x03" * 10, "binary"),
        ("only-headings.md", b"# Title\n\n## Results\n", None),
    ],
)
def test_other_bad_drafts(name: str, data: bytes, problem: str | None) -> None:
    if problem is None:  # headings only are read, and simply have no claims
        assert read_draft(data, name).blocks
        return
    with pytest.raises(InputError) as caught:
        read_draft(data, name)
    assert problem in str(caught.value) and name in str(caught.value)
