"""Issue 5's acceptance test: after anonymisation and without the key file, grep for every
original identifier over the study file, every export and every page a reader can load finds
nothing. Before anonymisation a reader cannot open any transcript at all."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from thematica.anonymise.keyfile import default_key_path
from thematica.cli.main import cli
from thematica.service import StudyService
from thematica.service.anonymising import AnonymisingStudy
from thematica.web.app import create_app

READER, LEAD = "Helen Marsh", "Rachel Ames"
TEAM = {
    "Rachel Ames",
    "Tom Okafor",
    "Helen Marsh",
    "Rachel",
    "Ames",
    "Tom",
    "Okafor",
    "Helen",
    "Marsh",
}


def texts_of(path: Path) -> str:
    """Everything readable in a file, with ZIP containers (docx, xlsx, qdpx) unpacked."""
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", errors="ignore") for name in archive.namelist()
            )
    return data.decode("utf-8", errors="ignore")


def leaks(blob: str, originals: set[str]) -> list[str]:
    return sorted(o for o in originals if re.search(rf"(?<!\w){re.escape(o)}(?!\w)", blob))


def sign_in(client: TestClient, name: str) -> None:
    assert client.post("/identity", data={"name": name}, follow_redirects=False).status_code == 303


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    CliRunner().invoke(cli, ["demo", str(tmp_path)])
    return tmp_path / "demo.thematica"


def test_a_reader_cannot_open_transcripts_before_anonymisation(demo: Path) -> None:
    with TestClient(create_app(str(demo)), base_url="http://127.0.0.1") as client:
        sign_in(client, READER)
        overview = client.get("/api/overview").json()
        assert all(
            not t["open"] and t["file"] == "(not yet anonymised)" for t in overview["transcripts"]
        )
        assert "physio-1.vtt" not in client.get("/").text
        for t in overview["transcripts"]:
            assert client.get(f"/api/transcripts/{t['id']}").status_code == 403
            assert client.get(f"/transcripts/{t['id']}").status_code == 403
        assert client.get("/api/anonymise/findings").status_code == 403


def test_without_the_key_no_original_in_study_exports_or_reader_pages(
    demo: Path, tmp_path: Path
) -> None:
    key = default_key_path(str(demo))
    with StudyService.open(str(demo)) as study:
        anon = AnonymisingStudy(study, key)
        anon.scan()
        anon.decide(LEAD, accept_all=True)
        originals = {f.original for f in anon.findings("accepted")}
        originals |= {
            turn.speaker for t in study.transcripts() for turn in study.transcript(str(t.id)).turns
        }
        anon.apply(LEAD, pending="skip")
    originals = {o for o in originals if o not in TEAM and len(o) >= 3}
    assert len(originals) > 40
    shutil.move(key, tmp_path / "key-kept-elsewhere")  # the study is shared without its key

    # the study file
    assert leaks(texts_of(demo), originals) == []
    # every export: REFI-QDA and the report in every format (no --allow-identifiers needed now)
    runner = CliRunner()
    out = tmp_path / "out"
    result = (
        runner.invoke(cli, ["qdpx", "export", str(demo), str(out / "study.qdpx")])
        if out.mkdir() is None
        else None
    )
    assert result is not None and result.exit_code == 0, result.output + result.stderr
    result = runner.invoke(cli, ["report", str(demo), "--out", str(out / "report")])
    assert result.exit_code == 0, result.output + result.stderr
    exported = [p for p in out.rglob("*") if p.is_file()]
    assert len(exported) > 10
    for path in exported:
        assert leaks(texts_of(path), originals) == [], path.name
    # every page and JSON twin a reader can load, and the URLs a reader might guess
    with TestClient(create_app(str(demo)), base_url="http://127.0.0.1") as client:
        sign_in(client, READER)
        overview = client.get("/api/overview").json()
        pages = ["/", "/api/overview", "/identity"]
        for t in overview["transcripts"]:
            assert t["open"]
            pages += [f"/transcripts/{t['id']}", f"/api/transcripts/{t['id']}"]
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert leaks(response.text, originals) == [], url
        for url in ("/anonymise", "/api/anonymise/findings"):
            assert client.get(url).status_code == 403
        assert client.post("/anonymise/apply").status_code == 403


def test_the_review_page_for_a_lead(demo: Path) -> None:
    with TestClient(create_app(str(demo)), base_url="http://127.0.0.1") as client:
        sign_in(client, LEAD)
        assert client.post("/anonymise/scan", follow_redirects=False).status_code == 303
        review = client.get("/api/anonymise/findings").json()
        assert review["has_key"] and review["findings"] and "email" in review["categories"]
        page = client.get("/anonymise").text
        assert "Apply accepted replacements" in page and "Accept all: email" in page
        first, second = review["findings"][0]["id"], review["findings"][1]["id"]
        client.post(
            "/anonymise/decide",
            data={"finding": first, "action": "edit", "replacement": "Participant's daughter"},
        )
        client.post("/anonymise/decide", data={"finding": second, "action": "reject"})
        client.post("/anonymise/accept-category", data={"category": "email"})
        pending = {f["id"] for f in client.get("/api/anonymise/findings").json()["findings"]}
        assert first not in pending and second not in pending
        assert (
            client.post("/anonymise/decide", data={"finding": first, "action": "shred"}).status_code
            == 422
        )
        assert client.post("/anonymise/apply", follow_redirects=False).status_code == 422
        confirm = client.get("/api/anonymise/findings").json()["plan"]["fingerprint"]
        applied = client.post("/anonymise/apply", data={"confirm": confirm}, follow_redirects=False)
        assert applied.status_code == 303
    with StudyService.open(str(demo)) as study:
        text = "".join(study.transcript(str(t.id)).text for t in study.transcripts())
        assert "[Participant's daughter]" in text and "@wessexvale" not in text
