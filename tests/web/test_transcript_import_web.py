"""Importing transcripts from the workbench: the import page's form and its JSON twin bring
files in as the command line does (linked by file name, logged as the member's), refuse the
batch whole when a file is bad (naming it, study unchanged), and are a lead's who may see
originals; and the form works in a real browser."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import snapshot
from tests.web.conftest import shot, sign_in, sign_in_client
from thematica.domain import MemberRole
from thematica.importers.register import read_register
from thematica.service import StudyService
from thematica.web.app import create_app
from thematica.web.routes.transcript_import import MAX_FILES, NOTHING_CHOSEN

INTERVIEWS = Path(__file__).resolve().parents[2] / "src/thematica/demo/data/interviews"
REGISTER = b"label,group\nPhysio 4,Physiotherapist\nOT 1,Occupational therapist\n"
KEEP = {"audit_log", "signin_sessions", "signin_failures"}  # what a refused request may touch


@pytest.fixture
def study(tmp_path: Path) -> Path:
    location = tmp_path / "msk.thematica"
    with StudyService.create(str(location), title="Pain and low mood") as s:
        s.import_register(read_register(REGISTER, "register.csv"), source="register.csv")
        s.add_team_member("Lena Lead", MemberRole.LEAD)
        s.add_team_member("Cody Coder", MemberRole.CODER)
        s.add_team_member("Rita Reader", MemberRole.READER)
        s.add_team_member("Sam Senior", MemberRole.LEAD, anonymised_only=True)
    return location


@pytest.fixture
def client(study: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(study)), base_url="http://127.0.0.1") as c:
        yield c


def vtt(name: str) -> bytes:
    return (INTERVIEWS / name).read_bytes()


def files(*named: tuple[str, bytes]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, data, "text/vtt")) for name, data in named]


def unchanged(study: Path, before: dict[str, object]) -> bool:
    after = snapshot(str(study))
    return {k: v for k, v in after.items() if k not in KEEP} == {
        k: v for k, v in before.items() if k not in KEEP
    }


def test_the_form_imports_links_by_file_name_and_lists_what_came_in(
    client: TestClient, study: Path
) -> None:
    sign_in_client(client, "Lena Lead")
    sent = files(("physio-4.vtt", vtt("physio-4.vtt")), ("ot-1.vtt", vtt("ot-1.vtt")))
    response = client.post("/import/transcripts", files=sent, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/import?transcripts=1,2"
    page = re.sub(r"<[^>]+>", "", unescape(client.get(response.headers["location"]).text))
    assert "Imported 2 transcripts:" in page
    assert "#1 physio-4.vtt (Physio 4)" in page and "#2 ot-1.vtt (OT 1)" in page
    with StudyService.open(str(study)) as s:
        listed = {t.source_name: t.participant for t in s.transcripts()}
        [entry] = [e for e in s.audit_log().entries if e.action == "import.transcripts"]
        cli_twin = s.transcript("1")
    assert listed == {"physio-4.vtt": "Physio 4", "ot-1.vtt": "OT 1"}
    assert (entry.actor, entry.client) == ("Lena Lead", "web:testclient")
    # the same words, turns and speakers as the command line's import of the same file
    with StudyService.create(str(study.with_name("cli.thematica")), title="x") as other:
        from thematica.service import TranscriptSource

        other.import_transcripts([TranscriptSource("physio-4.vtt", lambda: vtt("physio-4.vtt"))])
        by_cli = other.transcript("1")
    assert (cli_twin.text, cli_twin.turns) == (by_cli.text, by_cli.turns)


def test_the_json_twin_answers_with_the_import_report(client: TestClient, study: Path) -> None:
    sign_in_client(client, "Lena Lead")
    content = base64.b64encode(vtt("physio-4.vtt")).decode()
    response = client.post(
        "/api/import/transcripts", json={"files": [{"name": "physio-4.vtt", "content": content}]}
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["failed"] == []
    [item] = report["imported"]
    assert (item["id"], item["source_name"], item["participant"]) == (1, "physio-4.vtt", "Physio 4")
    assert item["words"] > 900 and item["turns"] > 10
    assert client.get("/api/import").json()["transcripts_imported"] == []


def test_a_bad_file_refuses_the_whole_batch_naming_it(client: TestClient, study: Path) -> None:
    sign_in_client(client, "Lena Lead")
    before = snapshot(str(study))
    bad = [
        ("notes.vtt", b"WEBVTT\n\n00:00:01.000 --> oops\n<v A>hello</v>\n"),
        ("latin1.txt", "Physio: caf\xe9 na\xefve \x00\x01\x02".encode("latin-1")),
    ]
    response = client.post(
        "/import/transcripts", files=files(("physio-4.vtt", vtt("physio-4.vtt")), *bad)
    )
    assert response.status_code == 422
    page = unescape(response.text)
    assert "notes.vtt" in page and "latin1.txt" in page
    assert "physio-4.vtt:" not in page  # the good file is not blamed
    assert unchanged(study, before)
    twin = client.post(
        "/api/import/transcripts",
        json={"files": [{"name": "x.vtt", "content": "not base64!"}]},
    )
    assert twin.status_code == 422 and "x.vtt" in twin.json()["error"]
    assert "base64" in twin.json()["error"]
    assert unchanged(study, before)


def test_a_file_already_imported_and_an_empty_form_are_refused(
    client: TestClient, study: Path
) -> None:
    sign_in_client(client, "Lena Lead")
    first = client.post("/import/transcripts", files=files(("physio-4.vtt", vtt("physio-4.vtt"))))
    assert first.status_code == 200
    before = snapshot(str(study))
    again = client.post("/import/transcripts", files=files(("copy.vtt", vtt("physio-4.vtt"))))
    assert again.status_code == 422 and "already imported" in unescape(again.text)
    empty = client.post("/import/transcripts", files=[("files", ("", b"", "text/plain"))])
    assert empty.status_code == 422 and NOTHING_CHOSEN in unescape(empty.text)
    too_many = client.post(
        "/api/import/transcripts",
        json={"files": [{"name": f"{i}.vtt", "content": "AA=="} for i in range(MAX_FILES + 1)]},
    )
    assert too_many.status_code == 422
    sent = [("files", (f"{i}.vtt", b"WEBVTT\n", "text/vtt")) for i in range(MAX_FILES + 1)]
    too_many = client.post("/import/transcripts", files=sent)
    assert too_many.status_code == 422
    assert f"Maximum number of files is {MAX_FILES}" in unescape(too_many.text)
    assert unchanged(study, before)


def test_a_folder_in_the_file_name_is_dropped(client: TestClient, study: Path) -> None:
    sign_in_client(client, "Lena Lead")
    sent = files(("../../etc/physio-4.vtt", vtt("physio-4.vtt")))
    assert client.post("/import/transcripts", files=sent).status_code == 200
    with StudyService.open(str(study)) as s:
        assert [t.source_name for t in s.transcripts()] == ["physio-4.vtt"]


@pytest.mark.parametrize(
    ("member", "because"),
    [
        ("Cody Coder", "only a lead can import transcripts"),
        ("Rita Reader", "only a lead can import transcripts"),
        ("Sam Senior", "sees anonymised text only and cannot import transcripts"),
    ],
)
def test_only_a_lead_who_sees_originals_may_import(
    client: TestClient, study: Path, member: str, because: str
) -> None:
    before = snapshot(str(study))
    sign_in_client(client, member)
    form = client.post("/import/transcripts", files=files(("physio-4.vtt", vtt("physio-4.vtt"))))
    assert form.status_code == 403 and because in unescape(form.text)
    content = base64.b64encode(vtt("physio-4.vtt")).decode()
    twin = client.post(
        "/api/import/transcripts", json={"files": [{"name": "p.vtt", "content": content}]}
    )
    assert twin.status_code == 403 and because in twin.json()["error"]
    assert unchanged(study, before)


def test_the_service_holds_the_rule_for_every_adapter(study: Path) -> None:
    from thematica.errors import AccessDenied
    from thematica.service import TranscriptSource

    with StudyService.open(str(study)) as s:
        source = TranscriptSource("physio-4.vtt", lambda: vtt("physio-4.vtt"))
        with pytest.raises(AccessDenied, match="only a lead"):
            s.as_member("Cody Coder").import_transcripts([source])
        with pytest.raises(AccessDenied, match="anonymised text only"):
            s.as_member("Sam Senior").import_transcripts([source])
        assert s.transcripts() == ()
        assert len(s.as_member("Lena Lead").import_transcripts([source]).imported) == 1


def test_a_batch_over_the_limit_is_refused_before_it_is_read(client: TestClient) -> None:
    from thematica.web.middleware import TRANSCRIPTS_LIMIT

    sign_in_client(client, "Lena Lead")
    response = client.post(
        "/import/transcripts",
        content=b"x",
        headers={
            "Content-Type": "multipart/form-data; boundary=b",
            "Content-Length": str(TRANSCRIPTS_LIMIT + 1),
        },
    )
    assert response.status_code == 413 and "64 MB" in response.text


def test_importing_transcripts_in_a_browser(study: Path, tmp_path: Path) -> None:
    from tests.web.conftest import ARGS, CHROMIUM, need_chromium
    from tests.web.test_import_page import serve

    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    chosen = [tmp_path / "physio-4.vtt", tmp_path / "ot-1.vtt"]
    for path in chosen:
        path.write_bytes(vtt(path.name))
    with serve(study) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        page.set_default_timeout(15_000)
        sign_in(page, url, "Lena Lead")
        page.get_by_role("link", name="Import", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Import")
        page.get_by_label("Transcript files").set_input_files([str(p) for p in chosen])
        page.get_by_role("button", name="Import the transcripts").click()
        status = page.get_by_role("status")
        expect(status).to_contain_text("Imported 2 transcripts")
        expect(status).to_contain_text("physio-4.vtt (Physio 4)")
        shot(page, "import-transcripts")
        page.get_by_role("link", name="#2 ot-1.vtt").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("OT 1")
        page.go_back()
        page.get_by_label("Transcript files").set_input_files(str(chosen[0]))
        page.get_by_role("button", name="Import the transcripts").click()
        expect(page.get_by_text("already imported")).to_be_visible()
        shot(page, "import-transcripts-refused")
        browser.close()
