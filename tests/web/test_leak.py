"""The leak test (issue 10, acceptance): an anonymised-only member of the anonymised demo study
meets no original anywhere, including in what was derived from the text before anonymisation.

Before anonymising, the team writes what research teams do write: an in-vivo code named after
what a participant said (with a name in it), its description, a coding memo, memos on a code, a
theme and a transcript, journal entries (the lead's and the member's own), a theme with a name
and description naming people and places, an interlink label, a renamed code (so the lineage log
names it) and a second interview of Physio 4 imported as ``Physio4_Stuart_Hollis.vtt``. Then the
demo is scanned, every finding accepted and ``anonymise apply`` run with the key.

Signed in as an anonymised-only member (``sign_in_as``: the one place that knows how), every GET
route of the workbench (read from the app's router, so a new route is swept without touching this
test) is loaded with its path parameters filled with the study's real ids, together with the
JSON twins and query variants (memo targets, journal filters, search for every original's
words). Every response, raw and with HTML entities decoded, is searched for every original the
key file holds, case-insensitively and in its typographic variants. The web app has no export
route a member can reach (exports are the CLI's, an administrator's power); its downloads (quotes
as DOCX/XLSX, tables as CSV/XLSX, the theme map as PNG) are read as what they hold: the XML inside
an Office file, a PNG's text chunks (the map's words are checked in its SVG twin). A second test does
the same through the service methods such a member's pages use, without the web layer.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import struct
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tests.faults.test_sweep_partial import api_routes
from thematica.anonymise.detect import COMMON_WORD_NAMES, name_patterns
from thematica.anonymise.keyfile import default_key_path
from thematica.cli.main import cli
from thematica.demo import DATA
from thematica.domain import Level, MemberRole
from thematica.service import StudyService, TranscriptSource
from thematica.service.anonymising import AnonymisingStudy
from thematica.service.notes import JournalFilter
from thematica.web.app import create_app

LEAD, CODER, READER, SENIOR = "Rachel Ames", "Tom Okafor", "Helen Marsh", "Sam Senior"
TEAM_WORDS = {"Rachel", "Ames", "Tom", "Okafor", "Helen", "Marsh", "Sam", "Senior"}
IN_VIVO = "Siobhán's referral from Marcus Lowe"
APOSTROPHES = "'’ʼ‘"


PASSWORD = "leak test password 1"


def sign_in_as(client: TestClient, name: str) -> None:
    """Sign ``client`` in as the member ``name`` through the sign-in form, as a browser does
    (the form's own token, then the session cookie; every member has a password)."""
    page = client.get("/login")
    assert page.status_code == 200, page.text
    found = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert found is not None
    response = client.post(
        "/login",
        data={"name": name, "password": PASSWORD, "form_token": found.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert "thematica_session" in client.cookies


@dataclass(frozen=True)
class Planted:
    study: Path  # anonymised, without its key beside it
    originals: frozenset[str]
    ids: dict[str, list[str]]
    in_vivo: int
    coding: int
    transcripts: list[int]
    journal: list[int]


def plant(service: StudyService) -> tuple[int, int]:
    """What a team derives from the text before anonymising; returns (in-vivo code, coding)."""
    service.add_team_member(SENIOR, MemberRole.CODER)
    follow_up = (DATA / "interviews" / "physio-4.vtt").read_bytes() + b"\nNOTE follow-up\n"
    service.import_transcripts(
        [TranscriptSource("Physio4_Stuart_Hollis.vtt", lambda: follow_up, participant="Physio 4")]
    )
    text = service.transcript("Physio 3").text
    at = text.index("referr") if "referr" in text else 10
    coding = service.add_coding(
        "Physio 3",
        (IN_VIVO,),
        CODER,
        at,
        at + 8,
        memo="Gaz told me St Aldhelm’s lost the letter",
        create_code=True,
    )
    code = next(c for c in service.codes(Level.ONE, counted=False) if c.name == IN_VIVO)
    service.describe_code(
        code.path, by=LEAD, description="Becky Thorne's words; ring 07700 900123 about it"
    )
    renamed = next(
        c for c in service.codes(Level.ONE, counted=False) if c.id != code.id and not c.path[:-1]
    )
    service.rename_code(renamed.path, "Stu and Hannah Boateng on waiting lists", by=LEAD)
    service.add_memo(f"code:{code.id}", "Shiv said Priya Raman at Millbrook Lane Surgery", by=LEAD)
    node = service.add_theme(
        "Ashcombe Parva and the trust",
        by=LEAD,
        description="What Olufemi Adeyemi said about Wessex Vale NHS Foundation Trust",
    )
    nodes, _ = service.themes()
    other = next(n.id for n in nodes if n.id != node)
    service.describe_theme(other, "Chris Deane and Zoë Fairbairn disagree here", by=LEAD)
    service.link_themes(node, other, "Femi's contrast with Aled Morgan", by=LEAD)
    service.add_memo(f"theme:{node}", "Linh Nguyễn named Tanyard Green Surgery", by=LEAD)
    tid = service.transcripts()[0].id
    service.add_memo(f"transcript:{tid}", "Rebecca Thorne mentioned Ann Goodridge", by=CODER)
    service.add_journal_entry("Gareth Powell was nervous; Bex was not", by=LEAD)
    service.add_journal_entry(
        "Field note: met Hannah at St Aldhelm's Hospital", by=SENIOR, kind="field-note"
    )
    return code.id, coding


def variants(original: str) -> set[str]:
    """An original as typed another way: other apostrophes, without accents."""
    out = {original}
    for a in APOSTROPHES:
        out |= {o.replace(b, a) for o in list(out) for b in APOSTROPHES}
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", original) if not unicodedata.combining(ch)
    )
    return out | {folded}


def key_originals(anon: AnonymisingStudy, speakers: Iterable[str]) -> frozenset[str]:
    """Every original the key holds (names, their first names, surnames and nicknames, deny-list
    terms, replaced findings, speaker names), in its typographic variants. The team's own names
    are left out: they are the authors, shown on purpose."""
    found: set[str] = set(speakers)
    for entry in anon.known_originals():
        if entry.category != "team member":
            found |= set(name_patterns(entry))
    found |= {f.original for f in anon.findings(None)}
    out: set[str] = set()
    for original in found:
        team = set(re.findall(r"\w+", original)) <= TEAM_WORDS
        if len(original) >= 3 and not team and not original.startswith("["):
            out |= variants(original)
    return frozenset(out)


def readable(response: httpx.Response) -> str:
    """What a reader of the response could read: Office files (zip) as their XML parts, a PNG
    as its text chunks, anything else as text. A compressed file's bytes are not words."""
    body = response.content
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as office:
            parts = [n for n in office.namelist() if n.endswith((".xml", ".rels"))]  # not media
            return "\n".join(office.read(n).decode("utf-8") for n in parts)
    if body.startswith(b"\x89PNG\r\n\x1a\n"):
        texts, at = [], 8
        while at < len(body):
            (size,) = struct.unpack(">I", body[at : at + 4])
            kind = body[at + 4 : at + 8]
            if kind in (b"tEXt", b"iTXt"):
                texts.append(body[at + 8 : at + 8 + size].decode("latin-1"))
            at += 12 + size
        return "\n".join(texts)
    return response.text


def leaks(text: str, originals: frozenset[str]) -> list[str]:
    """The originals in ``text``: case-insensitive, except names that are also words ("Hope",
    "Mark"), which count only capitalised, as the detector counts them."""
    blob = text + "\n" + html.unescape(text)
    hits = []
    for o in originals:
        flags = 0 if o.casefold() in COMMON_WORD_NAMES else re.IGNORECASE
        # "_" separates words too: a name hides in "Physio4_Stuart_Hollis.vtt"
        if re.search(rf"(?<![^\W_]){re.escape(o)}(?![^\W_])", blob, flags):
            hits.append(o)
    return sorted(hits)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    folder = tmp_path_factory.mktemp("demo")
    assert CliRunner().invoke(cli, ["demo", str(folder)]).exit_code == 0
    study = folder / "demo.thematica"
    with StudyService.open(str(study)) as service:
        in_vivo, coding = plant(service)
        speakers = {
            turn.speaker
            for t in service.transcripts()
            for turn in service.transcript(str(t.id)).turns
        }
        anon = AnonymisingStudy(service, default_key_path(str(study)))
        anon.scan()
        before = key_originals(anon, speakers)
        anon.decide(LEAD, accept_all=True)
        anon.apply(LEAD)
        originals = before | key_originals(anon, ())
        service.set_anonymised_only(SENIOR, True)
        from thematica.service.administrator import ADMINISTRATOR

        for member in service.team():
            service.set_password(member.name, PASSWORD, by=ADMINISTRATOR)
        transcripts = [t.id for t in service.transcripts()]
        labels = sorted({t.participant for t in service.transcripts() if t.participant})
        codes = [str(c.id) for c in service.codes(counted=False)]
        nodes, _ = service.themes()
        codings = [str(c.id) for c in service.codings()]
        journal = [e.id for who in (LEAD, SENIOR) for e in service.journal(who)]
    for must in ("Marcus Lowe", "Siobhán", "Siobhan", "Stuart Hollis", "St Aldhelm’s"):
        assert must in originals
    shared = folder / "shared"
    shared.mkdir()
    shutil.copy(study, shared / study.name)  # members get the study, never its key
    step = max(1, len(codes) // 20)
    ids = {
        "ref": [str(t) for t in transcripts] + labels,
        "code_id": sorted(set(codes[::step]) | {str(in_vivo)}, key=int),
        "node_id": [str(n.id) for n in nodes],
        "coding_id": sorted(set(codings[:: max(1, len(codings) // 8)]) | {str(coding)}, key=int),
        "entry_id": [str(e) for e in journal],
        "token": ["no-such-invitation"],
    }
    return Planted(shared / study.name, originals, ids, in_vivo, coding, transcripts, journal)


@pytest.fixture
def senior(planted: Planted) -> Iterator[TestClient]:
    with TestClient(create_app(str(planted.study)), base_url="http://127.0.0.1") as client:
        sign_in_as(client, SENIOR)
        yield client


def urls(client: TestClient, planted: Planted) -> list[str]:
    found: list[str] = []
    routes = [(p, r) for p, r in api_routes(client.app.routes, "") if "GET" in r.methods]  # type: ignore[attr-defined]
    assert len(routes) >= 30
    for path, _route in routes:
        names = re.findall(r"{(\w+)(?::\w+)?}", path)
        missing = [n for n in names if n not in planted.ids]
        assert not missing, f"{path}: give the leak test real values for {missing}"
        filled = [path]
        for name in names:
            filled = [
                re.sub(rf"{{{name}(?::\w+)?}}", value, url)
                for url in filled
                for value in planted.ids[name]
            ]
        found += filled
    targets = [f"code:{planted.in_vivo}", f"coding:{planted.coding}"]
    targets += [f"theme:{n}" for n in planted.ids["node_id"]]
    targets += [f"transcript:{t}" for t in planted.transcripts]
    for target in targets:
        found += [f"/memos?target={target}", f"/api/memos?target={target}"]
    for tid in planted.transcripts:
        found += [f"/journal?transcript={tid}", f"/api/journal?transcript={tid}"]
    for kind in ("journal", "field-note"):
        found += [f"/journal?kind={kind}", f"/api/journal?kind={kind}"]
    found += [f"/journal?code={planted.in_vivo}", f"/api/journal?code={planted.in_vivo}"]
    words = sorted({w for o in planted.originals for w in re.findall(r"\w{3,}", o)})
    for q in [*words, "referral", "Physio", "Stuart Hollis", "Marcus Lowe"]:
        found += [f"/search?q={quote(q)}", f"/api/search?q={quote(q)}"]
        found += [f"/journal?q={quote(q)}", f"/api/journal?q={quote(q)}"]
    return found


def test_an_anonymised_only_member_meets_no_original_anywhere(
    planted: Planted, senior: TestClient
) -> None:
    every = urls(senior, planted)
    assert len(every) > 300
    answered = 0
    found: dict[str, list[str]] = {}
    for url in every:
        response = senior.get(url)
        assert response.status_code < 500, url
        answered += response.status_code == 200
        echoed = set()
        if "q=" in url:  # the words the member typed come back in the search box
            typed = fold(unquote(url.split("q=", 1)[1]))  # also as search folds it
            echoed = {o for o in planted.originals if fold(o) in typed}
        hits = leaks(readable(response), planted.originals - echoed)
        if hits:
            found[url] = hits
    assert found == {}
    assert answered > 150  # real pages were read, not only refusals
    # and the side doors were open to this member: the in-vivo code and its memo are shown
    page = senior.get(f"/codebook/{planted.in_vivo}").text
    assert "[Physio 3]" in html.unescape(page) and "[Colleague 1]" in html.unescape(page)


def fold(text: str) -> str:
    """Without case and accents."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch)
    )


def test_the_service_gives_an_anonymised_only_member_no_original(planted: Planted) -> None:
    """The service calls behind an anonymised-only member's pages, without the web layer."""
    with StudyService.open(str(planted.study)) as s:
        readable = s.readable_transcripts(SENIOR) or set()
        assert readable  # the anonymised transcripts are open to them
        answers: list[object] = [
            s.info(),
            s.transcripts(),
            s.participants(),
            s.guide(),
            s.codes(visible_to=SENIOR),
            s.themes(),
            s.framework(),
            s.lineage(),
            s.memos(visible_to=SENIOR),
            s.memos(f"code:{planted.in_vivo}", visible_to=SENIOR),
            s.codings(visible_to=SENIOR),
            s.journal(SENIOR),
            s.journal(SENIOR, JournalFilter(words="Hannah")),
        ]
        answers += [s.transcript(str(t), visible_to=SENIOR) for t in sorted(readable)]
        answers += [s.theme_quotes(n.id, visible_to=SENIOR) for n in s.themes()[0]]
        answers += [s.search(w, visible_to=SENIOR).hits for w in ("referral", "pain", "Hannah")]
        assert s.search("Hannah", visible_to=SENIOR).hits == ()
        assert s.search("Hannah").hits == ()  # nor anyone: the index was rebuilt
        answers += [s.journal(LEAD)]  # the journal is per author: a lead's, asked for, too
    found = {i: leaks(repr(a), planted.originals) for i, a in enumerate(answers)}
    assert {i: hits for i, hits in found.items() if hits} == {}
