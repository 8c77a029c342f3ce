"""REFI-QDA downloads from the workbench. The codebook (``GET /codebook.qdc``): any member may
download it, it is the same file ``thematica qdc export`` writes and valid against the REFI-QDA
schema, the export is logged as the member's, and a codebook that carries possible identifiers
is refused (409, naming the code) with nothing logged. The whole study (``GET /study.qdpx``):
a lead's, refused while the study is not anonymised, and then the project the command line
writes."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from lxml import etree

from tests.conftest import shared, snapshot
from tests.web.conftest import sign_in_client
from thematica.cli.main import cli
from thematica.service import StudyService
from thematica.web.app import create_app


@pytest.fixture
def keyed(demo_copy: Path) -> Iterator[TestClient]:
    """The workbench on a demo study with its key file beside it (the participants' names)."""
    with TestClient(create_app(str(demo_copy)), base_url="http://127.0.0.1") as c:
        yield c


def exports(study: Path) -> list[tuple[str, str, str]]:
    with StudyService.open(str(study)) as s:
        page = s.audit_log()
    return [(e.actor, e.client, e.action) for e in page.entries if e.action == "export.qdc"]


def test_any_member_downloads_the_codebook_the_command_writes(
    keyed: TestClient, demo_copy: Path, tmp_path: Path
) -> None:
    sign_in_client(keyed, "Helen Marsh")  # a reader
    twin = keyed.get("/api/codebook").json()
    assert twin["downloads"]["qdc"] == "/codebook.qdc"
    assert "REFI-QDA (.qdc)" in keyed.get("/codebook").text
    got = keyed.get("/codebook.qdc")
    assert got.status_code == 200
    assert got.headers["content-disposition"] == 'attachment; filename="codebook.qdc"'
    schema = etree.XMLSchema(etree.parse(str(shared("refi-qda-schemas/Codebook-mrt2019.xsd"))))
    assert schema.validate(etree.fromstring(got.content)), schema.error_log.last_error
    assert exports(demo_copy) == [("Helen Marsh", "web:testclient", "export.qdc")]
    out = tmp_path / "codebook.qdc"
    done = CliRunner().invoke(cli, ["qdc", "export", str(demo_copy), str(out)])
    assert done.exit_code == 0, done.output
    assert out.read_bytes() == got.content


def test_a_codebook_carrying_a_name_is_refused(keyed: TestClient, demo_copy: Path) -> None:
    with StudyService.open(str(demo_copy)) as s:
        s.rename_code(("Goals and activity",), "Siobhán's goals", by="Rachel Ames")
    before = snapshot(str(demo_copy))
    sign_in_client(keyed, "Tom Okafor")
    refused = keyed.get("/codebook.qdc")
    assert refused.status_code == 409
    message = html.unescape(refused.text)  # the error page
    assert "1 possible identifiers in the codebook" in message
    assert "code \"Siobhán's goals\" name [0:7]: 'Siobhán'" in message
    assert snapshot(str(demo_copy)) == before  # not logged: nothing left the study


DATA = Path(__file__).resolve().parents[2] / "src" / "thematica" / "demo" / "data"


def anonymise(study: Path) -> None:
    """The demo anonymised the way the README shows."""
    for args in (
        ["anonymise", "identities", str(study), str(DATA / "identities.csv")],
        ["anonymise", "deny", str(study), str(DATA / "deny-list.csv")],
        ["anonymise", "scan", str(study)],
        ["anonymise", "review", str(study), "--accept-all"],
        ["anonymise", "apply", str(study), "--by", "Rachel Ames"],
    ):
        done = CliRunner().invoke(cli, args)
        assert done.exit_code == 0, f"{args}: {done.output}"


def test_the_study_export_is_a_leads_once_it_is_anonymised(
    keyed: TestClient, demo_copy: Path, tmp_path: Path
) -> None:
    from thematica.exchange.refi import read_qdpx

    sign_in_client(keyed, "Tom Okafor")  # a coder
    assert keyed.get("/api/overview").json()["downloads"] == {}
    assert keyed.get("/study.qdpx").status_code == 403
    sign_in_client(keyed, "Rachel Ames")  # the lead
    assert keyed.get("/api/overview").json()["downloads"] == {"qdpx": "/study.qdpx"}
    assert 'href="/study.qdpx"' in keyed.get("/").text
    before = snapshot(str(demo_copy))
    refused = keyed.get("/study.qdpx")  # the demo's transcripts hold the participants' names
    assert refused.status_code == 409
    assert "possible identifiers in the study" in html.unescape(refused.text)
    assert snapshot(str(demo_copy)) == before
    anonymise(demo_copy)
    got = keyed.get("/study.qdpx")
    assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
    assert got.headers["content-disposition"].endswith('.qdpx"')
    out = tmp_path / "study.qdpx"
    done = CliRunner().invoke(cli, ["qdpx", "export", str(demo_copy), str(out)])
    assert done.exit_code == 0, done.output
    ours, theirs = read_qdpx(got.content, "web"), read_qdpx(out.read_bytes(), "cli")
    assert ours == theirs
    with StudyService.open(str(demo_copy)) as s:
        logged = [e for e in s.audit_log().entries if e.action == "export.qdpx"]
    assert [(e.actor, e.client) for e in logged] == [
        ("administrator", "cli"),
        ("Rachel Ames", "web:testclient"),
    ]
