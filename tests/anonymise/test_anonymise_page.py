"""The workbench's anonymisation page (issue 10, item 5): the residual check before Apply (where
and what kind, never the original), the plan named in words, and Apply for leads only, refused
without the confirmation of the plan shown."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tests.web.conftest import sign_in_client
from thematica.anonymise.keyfile import default_key_path
from thematica.cli.main import cli
from thematica.domain import Level
from thematica.service import StudyService
from thematica.service.anonymising import AnonymisingStudy
from thematica.web.app import create_app

LEAD, CODER = "Rachel Ames", "Tom Okafor"
IN_VIVO = "Marcus Lowe's letter"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    assert CliRunner().invoke(cli, ["demo", str(folder)]).exit_code == 0
    study = folder / "demo.thematica"
    with StudyService.open(str(study)) as service:
        service.add_coding("Physio 3", (IN_VIVO,), CODER, 0, 8, create_code=True)
        service.add_memo("transcript:1", "Gareth Powell phoned", by=LEAD)
        anon = AnonymisingStudy(service, default_key_path(str(study)))
        anon.scan()
        anon.decide(LEAD, accept_categories=["email"])
    return study


@pytest.fixture
def study(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.thematica"
    shutil.copy(built, copy)
    shutil.copy(default_key_path(str(built)), default_key_path(str(copy)))
    return copy


@pytest.fixture
def client(study: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(study)), base_url="http://127.0.0.1") as c:
        yield c


def in_vivo_id(study: Path) -> int:
    with StudyService.open(str(study)) as service:
        return next(c.id for c in service.codes(Level.ONE, counted=False) if c.name == IN_VIVO)


def section(page: str, heading: str) -> str:
    return page.split(f'id="{heading}"', 1)[1].split("</section>", 1)[0]


def test_the_page_shows_the_check_and_the_plan_before_apply(
    client: TestClient, study: Path
) -> None:
    sign_in_client(client, LEAD)
    page = client.get("/anonymise").text
    check = section(page, "check-heading")
    code = in_vivo_id(study)
    assert "possible identifiers left" in check
    assert f"code {code} name" in check and "memo 1" in check
    assert "Marcus" not in check and "Gareth" not in check  # where and what kind only
    plan = section(page, "apply-heading")
    assert re.search(r"This will replace 1 passage in 1 transcript, \d+ speaker names, ", plan)
    assert "1 code name" in plan and "1 memo" in plan and "findings still pending" in plan
    assert 'name="confirm"' in plan and "required" in plan
    data = client.get("/api/anonymise/findings").json()
    assert data["plan"]["summary"] in plan
    assert all(set(r) == {"where", "category"} for r in data["check"]["found"])
    assert data["may_apply"] is True


def test_apply_is_refused_without_the_confirmation(client: TestClient, study: Path) -> None:
    sign_in_client(client, LEAD)
    for form in ({}, {"confirm": "yes"}, {"confirm": "0123456789abcdef"}):
        refused = client.post("/anonymise/apply", data=form, follow_redirects=False)
        assert refused.status_code in (400, 422), form
    code = in_vivo_id(study)
    with StudyService.open(str(study)) as service:
        assert any(c.name == IN_VIVO for c in service.codes(Level.ONE, counted=False))
    fingerprint = client.get("/api/anonymise/findings").json()["plan"]["fingerprint"]
    done = client.post("/anonymise/apply", data={"confirm": fingerprint}, follow_redirects=False)
    assert done.status_code == 303
    with StudyService.open(str(study)) as service:
        names = {c.id: c.name for c in service.codes(Level.ONE, counted=False)}
    assert names[code] == "[Colleague 1]'s letter"
    after = client.get("/anonymise").text
    assert f"code {code} name" not in section(after, "check-heading")


def test_only_a_lead_applies(client: TestClient, study: Path) -> None:
    sign_in_client(client, LEAD)
    fingerprint = client.get("/api/anonymise/findings").json()["plan"]["fingerprint"]
    sign_in_client(client, CODER)
    page = client.get("/anonymise").text
    assert "Only a lead can apply." in page and 'name="confirm"' not in page
    refused = client.post("/anonymise/apply", data={"confirm": fingerprint}, follow_redirects=False)
    assert refused.status_code == 403
    with StudyService.open(str(study)) as service:
        assert any(c.name == IN_VIVO for c in service.codes(Level.ONE, counted=False))
