"""Issue 12 item 2: under ``agreement --convention nvivo`` a transcript imported from REFI-QDA
counts its characters in its source's units, so the per-source figures are NVivo's.

The NVivo-shaped project below has CRLF line breaks and an emoji (two UTF-16 units) before and
inside coded spans, positions in UTF-16 units, two coders and three codes. The expected figures
are computed here from per-unit vectors over the raw source text, not by Thematica.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.exchange.refi_helpers import qde, qdpx
from thematica.analysis.source_units import SourceUnits, intersection
from thematica.cli.main import cli
from thematica.exchange.refi import CanonicalText
from thematica.exchange.refi_offsets import CODE_POINTS_CRLF1, UTF16, source_units
from thematica.service import StudyService

USERS = {
    "Ann": "0000000a-0000-4000-8000-000000000001",
    "Ben": "0000000b-0000-4000-8000-000000000001",
}
CODES = {
    "Access": "000000c1-0000-4000-8000-000000000001",
    "Cost": "000000c2-0000-4000-8000-000000000001",
    "Trust": "000000c3-0000-4000-8000-000000000001",
}
TEXTS = [
    "I: How was it?\r\nP: Hard \U0001f600 at first.\r\nThen the clinic helped a lot.\r\nI: Thanks.",
    "I: And the cost?\r\nP: \U0001f4b8 too much, really.\r\nWe paid twice.\r\nI: I see.",
    "I: Who did you trust?\r\nP: My GP \U0001f642 always.\r\nNot the app.",
]
# (source, code, coder, first words, last words): each coding runs from the start of the first
# to the end of the last (both in the raw text)
CODINGS = [
    (0, "Access", "Ann", "Hard", "at first.\r\nThen"),
    (0, "Access", "Ben", "\U0001f600", "the clinic"),
    (0, "Trust", "Ann", "Then", "helped a lot."),
    (0, "Trust", "Ben", "the clinic", "a lot."),
    (1, "Cost", "Ann", "\U0001f4b8", "We paid twice."),
    (1, "Cost", "Ben", "too much", "really.\r\nWe paid"),
    (2, "Trust", "Ann", "My GP", "always."),
    (2, "Access", "Ben", "Not", "app."),
]  # Cost in sources 0 and 2, and Access in source 1: neither coder applied it there


def utf16(raw: str, i: int) -> int:
    return len(raw[:i].encode("utf-16-le")) // 2


def span(raw: str, first: str, last: str) -> tuple[int, int]:
    start = raw.index(first)
    return start, raw.index(last, start) + len(last)


def nvivo_qdpx() -> bytes:
    users = "".join(f'<User guid="{g}" name="{n}"/>' for n, g in USERS.items())
    codes = "".join(f'<Code guid="{g}" name="{n}" isCodable="true"/>' for n, g in CODES.items())
    sources = []
    for s, raw in enumerate(TEXTS):
        selections = []
        for k, (src, code, coder, first, last) in enumerate(CODINGS):
            if src != s:
                continue
            start, end = span(raw, first, last)
            selections.append(
                f'<PlainTextSelection guid="5e1ec700-0000-4000-8000-{k:012d}" '
                f'startPosition="{utf16(raw, start)}" endPosition="{utf16(raw, end)}" '
                f'creatingUser="{USERS[coder]}"><Coding guid="c0d10000-0000-4000-8000-{k:012d}" '
                f'creatingUser="{USERS[coder]}"><CodeRef targetGUID="{CODES[code]}"/></Coding>'
                "</PlainTextSelection>"
            )
        sources.append(
            f'<TextSource guid="50000000-0000-4000-8000-{s:012d}" name="Interview {s + 1}" '
            f'plainTextPath="internal://50000000-0000-4000-8000-{s:012d}.txt">'
            + "".join(selections)
            + "</TextSource>"
        )
    body = (
        f"<Users>{users}</Users><CodeBook><Codes>{codes}</Codes></CodeBook>"
        f"<Sources>{''.join(sources)}</Sources>"
    )
    files = {"project.qde": qde(body, origin="NVivo 14.23.0")}
    for s, raw in enumerate(TEXTS):
        files[f"sources/50000000-0000-4000-8000-{s:012d}.txt"] = raw.encode()
    return qdpx(files)


def vector(length: int, spans: list[tuple[int, int]]) -> list[bool]:
    out = [False] * length
    for start, end in spans:
        out[start:end] = [True] * (end - start)
    return out


def nvivo_figures(a: list[bool], b: list[bool]) -> tuple[float, float]:
    """Cohen's kappa and percentage agreement over per-unit vectors, as NVivo reports them
    (kappa 1 when there is no variation: nothing coded, or everything)."""
    n = len(a)
    agree = sum(x == y for x, y in zip(a, b, strict=True))
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    observed = agree / n
    kappa = 1.0 if expected == 1 else (observed - expected) / (1 - expected)
    return kappa, 100 * observed


def expected(code: str, in_units: bool) -> dict[str, tuple[int, float, float]]:
    """Per source: (total, kappa, percent) from vectors over the raw text in UTF-16 units
    (``in_units``), or over Thematica's canonical text in code points."""
    out = {}
    for s, raw in enumerate(TEXTS):
        length = utf16(raw, len(raw)) if in_units else len(raw.replace("\r\n", "\n"))

        def where(i: int, raw: str = raw) -> int:
            return utf16(raw, i) if in_units else i - raw[:i].count("\r\n")

        by: dict[str, list[tuple[int, int]]] = {"Ann": [], "Ben": []}
        for src, c, coder, first, last in CODINGS:
            if src == s and c == code:
                start, end = span(raw, first, last)
                by[coder].append((where(start), where(end)))
        kappa, percent = nvivo_figures(vector(length, by["Ann"]), vector(length, by["Ben"]))
        out[f"Interview {s + 1}"] = (length, kappa, percent)
    return out


def imported(folder: Path, target: str) -> None:
    (folder / "nvivo.qdpx").write_bytes(nvivo_qdpx())
    result = CliRunner().invoke(cli, ["qdpx", "import", str(folder / "nvivo.qdpx"), target])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("nvivo")
    imported(folder, str(folder / "nvivo.thematica"))
    return folder / "nvivo.thematica"


def agreement(
    study: Path | str, *convention: str
) -> dict[str, dict[str, tuple[int, float, float]]]:
    args = ["agreement", str(study), "--coders", "Ann,Ben", *convention, "--format", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    names = {}
    with StudyService.open(str(study)) as service:
        names = {t.id: t.source_name for t in service.transcripts()}
    out: dict[str, dict[str, tuple[int, float, float]]] = {}
    for code in json.loads(result.output)["codes"]:
        out[code["code"][-1]] = {
            names[s["transcript_id"]]: (
                s["result"]["total"],
                round(s["result"]["kappa"], 4),
                round(s["result"]["percent_agreement"], 4),
            )
            for s in code["characters"]
        }
    return out


def rounded(figures: dict[str, tuple[int, float, float]]) -> dict[str, tuple[int, float, float]]:
    return {k: (n, round(k_, 4), round(p, 4)) for k, (n, k_, p) in figures.items()}


def test_nvivo_convention_gives_nvivos_per_source_figures(study: Path) -> None:
    found = agreement(study, "--convention", "nvivo")
    assert set(found) == set(CODES)
    for code in CODES:
        assert found[code] == rounded(expected(code, in_units=True)), code
    # the figures differ from code points: the totals are the source's UTF-16 lengths
    assert found["Access"]["Interview 1"][0] == utf16(TEXTS[0], len(TEXTS[0]))
    assert (
        found["Access"]["Interview 1"] != rounded(expected("Access", in_units=False))["Interview 1"]
    )


def test_postgres_keeps_the_source_units(postgres_location: str, tmp_path: Path) -> None:
    imported(tmp_path, postgres_location)
    found = agreement(postgres_location, "--convention", "nvivo")
    assert found["Cost"] == rounded(expected("Cost", in_units=True))


def test_the_default_convention_still_counts_code_points(study: Path) -> None:
    found = agreement(study)
    for code in CODES:
        applied = {
            name: figures
            for name, figures in rounded(expected(code, in_units=False)).items()
            if any(s == int(name[-1]) - 1 and c == code for s, c, *_ in CODINGS)
        }
        assert found[code] == applied, code


def test_source_units_per_unit_convention() -> None:
    raw = "a\U0001f600b\r\nc\r\nd"
    canonical = CanonicalText(raw)
    assert canonical.text == "a\U0001f600b\nc\nd"
    assert source_units(raw, UTF16, canonical) == (10, ((1, 2), (3, 2), (5, 2)))
    assert source_units(raw, CODE_POINTS_CRLF1, canonical) is None
    # NFC joins "e" and a combining accent: the "é" stood for both
    raw = "cafe\u0301\r\n"
    assert source_units(raw, CODE_POINTS_CRLF1, CanonicalText(raw)) == (6, ((3, 2),))
    units = SourceUnits(UTF16, 10, ((1, 2), (3, 2), (5, 2)))
    assert units.span(0, 7) == 10 and units.span(2, 3) == 1 and units.span(1, 4) == 5
    assert units.total(intersection([(0, 2), (3, 6)], [(1, 4)])) == 4
    assert SourceUnits.from_json(units.to_json()) == units


def test_anonymising_a_transcript_drops_its_source_units(study: Path, tmp_path: Path) -> None:
    """Anonymisation rewrites the text, which is then no longer the source's: a changed
    transcript counts one unit per character; an unchanged one keeps its source units."""
    copy = tmp_path / "copy.thematica"
    shutil.copyfile(study, copy)
    (tmp_path / "deny.csv").write_text("term,category,replacement\nclinic,hospital,[place]\n")
    for args in (
        ["deny", str(copy), str(tmp_path / "deny.csv")],
        ["scan", str(copy)],
        ["review", str(copy), "--accept-all"],
        ["apply", str(copy)],
    ):
        result = CliRunner().invoke(cli, ["anonymise", *args])
        assert result.exit_code == 0, result.output
    before, after = (
        agreement(study, "--convention", "nvivo"),
        agreement(copy, "--convention", "nvivo"),
    )
    assert after["Access"]["Interview 1"][0] == len(TEXTS[0].replace("\r\n", "\n")) + 1  # "[place]"
    assert after["Cost"]["Interview 2"] == before["Cost"]["Interview 2"]
    assert after["Trust"]["Interview 3"] == before["Trust"]["Interview 3"]
