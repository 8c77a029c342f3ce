"""The authorisation matrix: every route of the workbench (read from the app's routes and its
OpenAPI schema, so a route without a row here fails the test) x every kind of person: anonymous,
a reader, a coder marked anonymised-only, a coder while the study codes blind, a coder, the lead,
and a deactivated member. On SQLite and PostgreSQL.

Each cell is an exact status, or ``GO`` (a change this person may make). The exact cells run
first on the untouched study (reads, and changes that must be refused) and must leave it exactly
as it was; then the ``GO`` cells make their changes, one person after another, and each must get
through (neither 401 nor 403, and no server error: a later change may meet an earlier one's
result, a 404 or a 409). Anonymous visitors get 401 from the API and are sent to sign in (303)
from pages.

It runs with sign-in (every member has a password and a session; the deactivated member signed
in before the lead deactivated them, so their session ended: they are anonymous again), on both
backends, and in the single researcher's picker mode (no passwords; SQLite), where the cookie
names a member and the service refuses a deactivated one."""

from __future__ import annotations

import io
import wave
from base64 import b64encode
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.conftest import snapshot
from tests.web.matrix_world import (
    ANON_CODER,
    CODER,
    GONE,
    LEAD,
    READER,
    Ids,
    Sessions,
    become,
    build,
    deactivate_gone,
    ids,
    sign_everyone_in,
)
from thematica.service import StudyService
from thematica.web.app import create_app

GO = "go"
PEOPLE = ("anonymous", "reader", "anonymised-only", "blind coder", "coder", "lead", "deactivated")
NAMES: dict[str, str | None] = {
    "anonymous": None,
    "reader": READER,
    "anonymised-only": ANON_CODER,
    "blind coder": CODER,
    "coder": CODER,
    "lead": LEAD,
    "deactivated": GONE,
}
Cell = int | str
Row = tuple[Cell, Cell, Cell, Cell, Cell]  # reader, anonymised-only, blind coder, coder, lead
Body = Callable[[Ids], dict[str, Any]]

READ: Row = (200, 200, 200, 200, 200)
TEXT: Row = (403, 403, 200, 200, 200)  # transcript 1 is not anonymised
CODERS: Row = (403, GO, GO, GO, GO)
ORIGINALS: Row = (403, 403, GO, GO, GO)
LEAD_ONLY: Row = (403, 403, 403, 403, GO)
LEAD_EXPORT: Row = (403, 403, 403, 403, 409)  # the lead, refused: the world is not anonymised
OWN_WORK: Row = (403, 403, GO, GO, GO)  # Tom's coding or memo: he and the lead
OWN_JOURNAL: Row = (404, 404, GO, GO, 404)  # Tom's entry: nobody else learns it exists
EVERYONE: Row = (GO, GO, GO, GO, GO)
NOT_BLIND: Row = (200, 200, 403, 200, 200)
REVEALED_ONLY: Row = (403, 403, 403, 200, 200)


def json(make: Body) -> Body:
    return lambda i: {"json": make(i)}


def form(make: Body) -> Body:
    return lambda i: {"data": make(i)}


def decision(i: Ids) -> dict[str, Any]:
    code, start, end = i.disagreement
    return {"code": code, "start": start, "end": end, "decision": "drop"}


NONE: Body = lambda i: {}  # noqa: E731


def tone_wav(seconds: int) -> bytes:
    """A short silent WAV (8 kHz, 16-bit mono), made in memory."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(bytes(2 * 8000 * seconds))
    return out.getvalue()


DRAFT = b"Seven participants described Lobbing referrals into a void (Physio 1).\n"
# (method, path) -> (row, how the path's parameters are filled, the request's body)
MATRIX: dict[tuple[str, str], tuple[Row, Body]] = {
    ("GET", "/"): (READ, NONE),
    ("GET", "/api/overview"): (READ, NONE),
    ("GET", "/transcripts/{ref}"): (TEXT, NONE),
    ("GET", "/api/transcripts/{ref}"): (TEXT, NONE),
    ("GET", "/transcripts/{ref}/turns"): (TEXT, NONE),  # the turns swapped in after a coding
    ("POST", "/api/transcripts/{ref}/reveal"): (LEAD_ONLY, NONE),
    ("POST", "/transcripts/{ref}/reveal"): (LEAD_ONLY, NONE),
    ("POST", "/api/transcripts/{ref}/checking"): (ORIGINALS, json(lambda i: {"state": "checking"})),
    ("POST", "/transcripts/{ref}/checking"): (ORIGINALS, form(lambda i: {"state": "checked"})),
    # corrections (issue 16): members who see originals; a later person's may meet an earlier
    # one's result (a 422: the turn is already that speaker's, the point is no longer inside)
    ("POST", "/api/transcripts/{ref}/turns/{turn}/text"): (
        ORIGINALS,
        json(lambda i: {"text": "Oh no, no pressure at all! It's grand."}),
    ),
    ("POST", "/api/transcripts/{ref}/turns/{turn}/speaker"): (
        ORIGINALS,
        json(lambda i: {"speaker": "Rachel Ames"}),
    ),
    ("POST", "/api/transcripts/{ref}/turns/{turn}/split"): (ORIGINALS, json(lambda i: {"at": 6})),
    ("POST", "/api/transcripts/{ref}/turns/{turn}/merge"): (ORIGINALS, NONE),
    ("DELETE", "/api/codings/{coding_id}/flag"): (OWN_WORK, NONE),
    ("PATCH", "/api/codings/{coding_id}"): (OWN_WORK, json(lambda i: {"memo": "Matrix."})),
    ("POST", "/api/transcripts/{ref}/codings"): (
        ORIGINALS,
        json(lambda i: {"code": i.code_path, "start": 0, "end": 5}),
    ),
    ("DELETE", "/api/codings/{coding_id}"): (OWN_WORK, NONE),
    ("GET", "/reconcile"): (READ, NONE),
    ("POST", "/reconcile/reveal-rule"): (LEAD_ONLY, form(lambda i: {"require_checked": "on"})),
    ("GET", "/api/reconcile"): (READ, NONE),
    ("GET", "/reconcile/{ref}"): (REVEALED_ONLY, NONE),
    ("GET", "/api/reconcile/{ref}"): (REVEALED_ONLY, NONE),
    ("POST", "/api/reconcile/{ref}/decisions"): (LEAD_ONLY, json(decision)),
    ("POST", "/reconcile/{ref}/decide"): (LEAD_ONLY, form(decision)),
    ("POST", "/api/reconcile/{ref}/agreements"): (LEAD_ONLY, NONE),
    ("DELETE", "/api/reconcile/{ref}/agreements"): (LEAD_ONLY, NONE),
    ("POST", "/reconcile/{ref}/agreements"): (LEAD_ONLY, form(lambda i: {"action": "carry"})),
    ("DELETE", "/api/reconcile/{ref}/decisions/{decision}"): (LEAD_ONLY, NONE),
    ("POST", "/reconcile/{ref}/undo/{decision}"): (LEAD_ONLY, NONE),
    ("GET", "/codebook"): (READ, NONE),
    ("GET", "/api/codebook"): (READ, NONE),
    ("GET", "/api/live/transcripts/{ref}"): (TEXT, NONE),
    # a transcript's recording (issue 16): never to readers or anonymised-only members; the
    # matrix's transcript has none, so the others get 404 (tests/web/test_media_web.py: 200/206)
    ("GET", "/media/{ref}"): ((403, 403, 404, 404, 404), NONE),
    # attaching one from the transcript page: the same members (refused before the body is read)
    ("POST", "/transcripts/{ref}/recording"): (
        ORIGINALS,
        lambda i: {"files": {"recording": ("matrix.wav", tone_wav(2))}},
    ),
    ("GET", "/api/live/codebook"): (READ, NONE),
    ("GET", "/api/live/themes"): (READ, NONE),
    ("GET", "/codebook/{code_id}"): (READ, NONE),
    ("GET", "/api/codebook/{code_id}"): (READ, NONE),
    ("POST", "/codebook/{code_id}/{action}"): (CODERS, form(lambda i: {"description": "M"})),
    ("POST", "/api/codebook/{code_id}/{action}"): (CODERS, json(lambda i: {"description": "M"})),
    ("POST", "/lineage/{entry}/undo"): (CODERS, NONE),
    ("POST", "/api/lineage/{entry}/undo"): (CODERS, NONE),
    ("GET", "/codes/{code_id}/quotes"): (READ, NONE),
    ("GET", "/api/codes/{code_id}/quotes"): (READ, NONE),
    ("GET", "/themes"): (READ, NONE),
    ("GET", "/api/themes"): (READ, NONE),
    ("POST", "/themes"): (CODERS, form(lambda i: {"name": "Matrix theme"})),
    ("POST", "/api/themes"): (CODERS, json(lambda i: {"name": "Matrix theme two"})),
    ("POST", "/themes/links"): (
        CODERS,
        form(lambda i: {"from": i.node_id, "to": i.other_node, "label": "matrix"}),
    ),
    ("POST", "/api/themes/links"): (
        CODERS,
        json(lambda i: {"from": i.node_id, "to": i.other_node, "label": "matrix two"}),
    ),
    ("POST", "/themes/links/{link_id}/remove"): (CODERS, NONE),
    ("POST", "/api/themes/links/{link_id}/remove"): (CODERS, NONE),
    ("POST", "/themes/{node_id}/{action}"): (CODERS, form(lambda i: {"description": "M"})),
    ("POST", "/api/themes/{node_id}/{action}"): (CODERS, json(lambda i: {"description": "M"})),
    ("GET", "/themes/{node_id}/quotes"): (READ, NONE),
    ("GET", "/api/themes/{node_id}/quotes"): (READ, NONE),
    # downloads (issue 14): what the member's page shows, so as the page is
    **{
        ("GET", f"/codes/{{code_id}}/quotes.{fmt}"): (READ, NONE) for fmt in ("docx", "csv", "xlsx")
    },
    **{
        ("GET", f"/themes/{{node_id}}/quotes.{fmt}"): (READ, NONE)
        for fmt in ("docx", "csv", "xlsx")
    },
    **{("GET", f"/analysis/quotes.{fmt}"): (NOT_BLIND, NONE) for fmt in ("docx", "csv", "xlsx")},
    ("GET", "/analysis/quotes"): (NOT_BLIND, NONE),
    ("GET", "/api/analysis/quotes"): (NOT_BLIND, NONE),
    # a code paired with itself: refused (422) to whoever may see level one, 403 to a blind coder
    ("GET", "/analysis/cooccurrence/quotes"): (SELF_PAIR := (422, 422, 403, 422, 422), NONE),
    ("GET", "/api/analysis/cooccurrence/quotes"): (SELF_PAIR, NONE),
    ("GET", "/themes/map.svg"): (READ, NONE),
    ("GET", "/themes/map.png"): (READ, NONE),
    ("GET", "/codebook.csv"): (READ, NONE),
    ("GET", "/codebook.xlsx"): (READ, NONE),
    ("GET", "/codebook.qdc"): (READ, NONE),
    ("GET", "/study.qdpx"): (LEAD_EXPORT, NONE),
    ("GET", "/analysis/agreement.csv"): (NOT_BLIND, NONE),
    ("GET", "/analysis/agreement.xlsx"): (NOT_BLIND, NONE),
    ("GET", "/analysis/matrix.csv"): (READ, NONE),
    ("GET", "/analysis/matrix.xlsx"): (READ, NONE),
    ("GET", "/analysis"): (READ, NONE),
    ("GET", "/api/analysis"): (READ, NONE),
    ("GET", "/analysis/agreement"): (NOT_BLIND, NONE),
    ("GET", "/api/analysis/agreement"): (NOT_BLIND, NONE),
    ("GET", "/api/analysis/agreement/transcript/{ref}"): (NOT_BLIND, NONE),
    ("GET", "/analysis/counts"): (READ, NONE),
    ("GET", "/api/analysis/counts"): (READ, NONE),
    ("GET", "/analysis/matrix"): (READ, NONE),
    ("GET", "/api/analysis/matrix"): (READ, NONE),
    ("GET", "/analysis/saturation"): (READ, NONE),
    ("GET", "/api/analysis/saturation"): (READ, NONE),
    ("GET", "/analysis/cooccurrence"): (READ, NONE),
    ("GET", "/api/analysis/cooccurrence"): (READ, NONE),
    ("GET", "/search"): (READ, NONE),
    ("GET", "/api/search"): (READ, NONE),
    ("POST", "/api/search/code-all"): (
        CODERS,
        json(lambda i: {"query": "pain", "code": i.code_path, "dry_run": True}),
    ),
    ("POST", "/search/code-all"): (
        CODERS,
        form(lambda i: {"q": "pain", "code_all": i.code_path, "expected": 0}),
    ),
    ("GET", "/journal"): (READ, NONE),
    ("GET", "/api/journal"): (READ, NONE),
    ("POST", "/journal"): (EVERYONE, form(lambda i: {"text": "Mine."})),
    ("POST", "/api/journal"): (EVERYONE, json(lambda i: {"text": "Mine."})),
    ("PATCH", "/api/journal/{entry_id}"): (OWN_JOURNAL, json(lambda i: {"text": "Edited."})),
    ("POST", "/journal/{entry_id}/edit"): (
        OWN_JOURNAL,
        form(lambda i: {"text": "Edited.", "kind": "journal"}),
    ),
    ("DELETE", "/api/journal/{entry_id}"): (OWN_JOURNAL, NONE),
    ("POST", "/journal/{entry_id}/delete"): (OWN_JOURNAL, NONE),
    ("GET", "/memos"): (READ, NONE),
    ("GET", "/api/memos"): (READ, NONE),
    ("POST", "/api/memos"): (CODERS, json(lambda i: {"target": f"code:{i.code_id}", "text": "M"})),
    ("POST", "/memos/add"): (CODERS, form(lambda i: {"target": f"code:{i.code_id}", "text": "M"})),
    ("PATCH", "/api/memos/{ref}"): (OWN_WORK, json(lambda i: {"text": "Edited."})),
    ("POST", "/memos/{ref}/edit"): (OWN_WORK, form(lambda i: {"text": "Edited."})),
    ("DELETE", "/api/memos/{ref}"): (OWN_WORK, NONE),
    ("POST", "/memos/{ref}/delete"): (OWN_WORK, NONE),
    ("GET", "/anonymise"): (TEXT, NONE),
    ("GET", "/api/anonymise/findings"): (TEXT, NONE),
    ("POST", "/anonymise/scan"): (ORIGINALS, NONE),
    ("POST", "/anonymise/decide"): (ORIGINALS, form(lambda i: {"finding": 1, "action": "reject"})),
    ("POST", "/anonymise/accept-category"): (ORIGINALS, form(lambda i: {"category": "email"})),
    ("POST", "/anonymise/apply"): (LEAD_ONLY, form(lambda i: {"confirm": "an old plan"})),
    # the member's own account: reachable by every member (mismatched passwords: nothing changes)
    ("GET", "/account"): (READ, NONE),
    ("POST", "/account"): (
        (422, 422, 422, 422, 422),
        form(lambda i: {"new": "a new password 1", "again": "another one 2"}),
    ),
    ("POST", "/logout"): (EVERYONE, NONE),
    # audit a draft: every member; the service checks quotes only against what they may read
    ("GET", "/draft-audit"): (READ, NONE),
    ("POST", "/draft-audit"): (READ, lambda i: {"files": {"draft": ("draft.md", DRAFT)}}),
    ("POST", "/api/draft-audit"): (
        READ,
        json(lambda i: {"name": "draft.md", "content": b64encode(DRAFT).decode()}),
    ),
    # the lead's pages: the team and the audit log
    ("GET", "/team"): (LEAD_ONLY_READ := (403, 403, 403, 403, 200), NONE),
    ("GET", "/api/team"): (LEAD_ONLY_READ, NONE),
    ("POST", "/team/add"): (LEAD_ONLY, form(lambda i: {"name": "Matrix New", "role": "coder"})),
    ("POST", "/team/invite"): (LEAD_ONLY, form(lambda i: {"name": GONE})),
    ("POST", "/team/role"): (LEAD_ONLY, form(lambda i: {"name": GONE, "role": "reader"})),
    ("POST", "/team/anonymised-only"): (LEAD_ONLY, form(lambda i: {"name": GONE, "flag": True})),
    ("POST", "/team/reactivate"): (LEAD_ONLY, form(lambda i: {"name": GONE})),
    ("POST", "/team/deactivate"): (LEAD_ONLY, form(lambda i: {"name": GONE})),
    ("GET", "/audit"): (LEAD_ONLY_READ, NONE),
    ("GET", "/api/audit"): (LEAD_ONLY_READ, NONE),
    ("GET", "/audit.csv"): (LEAD_ONLY_READ, NONE),
    # the recruitment log (issue 18): a lead's
    ("GET", "/recruitment"): (LEAD_ONLY_READ, NONE),
    ("GET", "/api/recruitment"): (LEAD_ONLY_READ, NONE),
    ("POST", "/recruitment/candidates"): (LEAD_ONLY, form(lambda i: {"ref": "M2", "group": "OT"})),
    ("POST", "/recruitment/import"): (
        LEAD_ONLY,
        form(lambda i: {"rows": "id,group\nM3,OT\n"}),
    ),
    ("POST", "/recruitment/screen"): (
        LEAD_ONLY,
        form(lambda i: {"ref": "M1", "answers": ["I1=yes"]}),
    ),
    ("POST", "/recruitment/consent"): (
        LEAD_ONLY,
        form(lambda i: {"ref": "M1", "sheet": "v1", "form": "v1", "kept_at": "Site file"}),
    ),
    ("POST", "/recruitment/status"): (LEAD_ONLY, form(lambda i: {"ref": "M1", "status": "lost"})),
    ("POST", "/recruitment/criteria"): (LEAD_ONLY, form(lambda i: {"key": "I9", "text": "M"})),
    ("POST", "/recruitment/plan"): (LEAD_ONLY, form(lambda i: {"maximum": "12"})),
    ("POST", "/recruitment/stop"): (LEAD_ONLY, form(lambda i: {"memo": "Matrix."})),
    # the lead's import page (issue 12): the import mappings
    ("GET", "/import"): (LEAD_ONLY_READ, NONE),
    ("GET", "/api/import"): (LEAD_ONLY_READ, NONE),
    ("POST", "/import/promote"): (LEAD_ONLY, form(lambda i: {"coder": CODER})),
    ("POST", "/import/themes-from-tree"): (LEAD_ONLY, NONE),
    ("POST", "/import/set-group"): (LEAD_ONLY, form(lambda i: {"attribute": "setting"})),
    ("POST", "/import/set-dates"): (LEAD_ONLY, form(lambda i: {"attribute": "age"})),
    # importing transcripts: a lead who may see originals
    ("POST", "/import/transcripts"): (
        LEAD_ONLY,
        lambda i: {"files": {"files": ("matrix-a.txt", b"Ann: We talked about pain.\n")}},
    ),
    ("POST", "/api/import/transcripts"): (
        LEAD_ONLY,
        json(
            lambda i: {
                "files": [
                    {"name": "matrix-b.txt", "content": b64encode(b"Ben: Low mood.\n").decode()}
                ]
            }
        ),
    ),
    # withdrawal (the lead's): a confirmation that is not the plan's is refused (409)
    ("GET", "/withdraw"): (LEAD_ONLY_READ, NONE),
    ("GET", "/api/withdraw"): (LEAD_ONLY_READ, NONE),
    ("POST", "/withdraw"): (
        LEAD_ONLY,
        form(lambda i: {"participant": "Physio 7", "confirm": "not the plan", "reason": "other"}),
    ),
}
# Routes that answer everyone alike, signed in or not, active or not (mode -> status): signing
# in (its form needs the form's own token: refused without it), an invitation (an unknown
# token: 404), choosing an identity (only while no member has a password), the colour classes.
PUBLIC: dict[tuple[str, str], dict[str, int]] = {
    ("GET", "/login"): {"signin": 200, "picker": 303},
    ("POST", "/login"): {"signin": 403, "picker": 403},
    ("GET", "/invite/{token}"): {"signin": 404, "picker": 404},
    ("POST", "/invite/{token}"): {"signin": 403, "picker": 403},
    ("GET", "/identity"): {"signin": 303, "picker": 200},
    ("POST", "/identity"): {"signin": 403, "picker": 303},
    # code colours as CSS classes from the colours in its query: no study data, like /static
    ("GET", "/colours.css"): {"signin": 200, "picker": 200},
}
LOGIN_BODY = {"name": LEAD, "password": "wrong password 1"}
INVITE_BODY = {"password": "a password 12", "again": "a password 12"}


def url(path: str, i: Ids, person: str) -> str:
    values = {
        "ref": i.memo if path.startswith(("/api/memos/", "/memos/")) else i.ref,
        "coding_id": i.coding_id,
        "code_id": i.code_id,
        "action": "describe",
        "entry": i.entry,
        "decision": i.decision,
        "node_id": i.node_id,
        "link_id": i.link_id,
        "entry_id": i.entry_id,
        "token": "no-such-invitation",
        "turn": 2,
    }
    filled = path.format(**values)
    if path.startswith(("/analysis/quotes", "/api/analysis/quotes")):
        return filled + f"?code={i.code_id}&level=1"  # a level-one code's quotes (a cell)
    if path == "/transcripts/{ref}/turns":
        return filled + "?first=0&last=3"
    if path == "/colours.css":
        return filled + "?c=1f77b4.d62728"
    if path.endswith("/cooccurrence/quotes"):
        return filled + f"?a={i.code_id}&b={i.code_id}&level=1"
    return filled + ("?q=pain" if path in ("/search", "/api/search") else "")


def routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers, from its routers (included ones too)."""
    found: set[tuple[str, str]] = set()

    def walk(items: list[Any]) -> None:
        for r in items:
            if isinstance(r, APIRoute):
                found.update((m, r.path) for m in r.methods if m != "HEAD")
            elif hasattr(r, "original_router"):
                walk(list(r.original_router.routes))

    walk(list(app.routes))
    return found


def expected(person: str, method: str, path: str, mode: str) -> Cell | set[int]:
    if (method, path) in PUBLIC:
        answer = PUBLIC[(method, path)][mode]
        if (method, path) == ("POST", "/identity") and mode == "picker" and person == "deactivated":
            return 404  # a deactivated member is not offered
        signed_out = person == "anonymous" or (person == "deactivated" and mode == "signin")
        if (method, path) == ("POST", "/identity") and mode == "signin" and signed_out:
            return 303  # sent to sign in first
        return answer
    api = path.startswith("/api/")
    if person == "anonymous" or (person == "deactivated" and mode == "signin"):
        # signed out, or their session ended when they were deactivated
        if (method, path) == ("POST", "/logout"):
            return 303
        return 401 if api else 303
    if person == "deactivated":  # picker mode: the cookie names them, the service refuses
        return {401, 403} if api else {303, 403}
    row, _ = MATRIX[(method, path)]
    return row[PEOPLE.index(person) - 1]


@dataclass
class World:
    client: TestClient
    ids: Ids
    location: str
    mode: str
    sessions: Sessions | None


@pytest.fixture(params=["signin", "picker"])
def world(location: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[World]:
    mode = request.param
    if mode == "picker" and location.startswith("postgresql"):
        pytest.skip("the picker (no passwords, this machine only) is a single researcher's mode")
    key = tmp_path / "study.thematica-key"
    build(location, key)
    sessions = sign_everyone_in(location) if mode == "signin" else None
    deactivate_gone(location)
    found = ids(location)
    with TestClient(create_app(location, key=key), base_url="http://127.0.0.1") as client:
        yield World(client, found, location, mode, sessions)


def blind(location: str, on: bool) -> None:
    with StudyService.open(location) as study:
        study.set_blind_coding(on, by=LEAD)


def test_every_route_has_a_row(location: str, tmp_path: Path) -> None:
    if location.startswith("postgresql"):
        pytest.skip("the routes are the same on both backends")
    StudyService.create(str(tmp_path / "s.thematica"), title="Routes").close()
    app = create_app(str(tmp_path / "s.thematica"))
    documented = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    assert routes(app) == documented
    assert documented == set(MATRIX) | set(PUBLIC)


# what signing in, and being refused, writes: the sessions, the failures, the log
BOOKKEEPING = {"study", "audit_log", "signin_sessions", "signin_failures"}


def test_the_authorisation_matrix(world: World) -> None:
    client, i, location = world.client, world.ids, world.location
    wrong: list[str] = []

    def call(person: str, method: str, path: str) -> int:
        name = NAMES[person]
        become(client, name, world.sessions)
        _, body = MATRIX.get((method, path), (READ, NONE))
        kwargs = body(i)
        if (method, path) == ("POST", "/identity"):
            kwargs = {"data": {"name": name or CODER}}
        elif (method, path) == ("POST", "/login"):
            kwargs = {"data": LOGIN_BODY}
        elif (method, path) == ("POST", "/invite/{token}"):
            kwargs = {"data": INVITE_BODY}
        response = client.request(method, url(path, i, person), follow_redirects=False, **kwargs)
        signs_in = name is not None and person != "deactivated"
        if (method, path) == ("POST", "/logout") and world.sessions is not None and signs_in:
            world.sessions.renew(name)  # signed out: sign in again for the next cell
        return response.status_code

    cells = [(m, p) for m, p in sorted(set(MATRIX) | set(PUBLIC))]
    before = snapshot(location)
    for person in PEOPLE:  # reads and refusals, on the untouched study
        blind(location, person == "blind coder")
        for method, path in cells:
            want = expected(person, method, path, world.mode)
            if want == GO:
                continue
            got = call(person, method, path)
            if got != want and not (isinstance(want, set) and got in want):
                wrong.append(f"{person:16} {method:6} {path}: {got}, expected {want}")
    blind(location, False)
    assert wrong == [], "\n".join(wrong)
    after = snapshot(location)
    assert {k: v for k, v in after.items() if k not in BOOKKEEPING} == {
        k: v for k, v in before.items() if k not in BOOKKEEPING
    }
    for person in PEOPLE:  # the changes each may make, in table order; the lead's last
        blind(location, person == "blind coder")
        for method, path in MATRIX:
            if expected(person, method, path, world.mode) != GO:
                continue
            got = call(person, method, path)
            if got in (401, 403) or got >= 500:
                wrong.append(f"{person:16} {method:6} {path}: {got}, expected to get through")
    assert wrong == [], "\n".join(wrong)
