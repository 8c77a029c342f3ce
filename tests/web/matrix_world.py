"""The study the authorisation matrix runs on: the demo study built at any location (a SQLite
file or a PostgreSQL database), with one member for each kind of person the matrix asks about,
and the ids its routes are called with. And the one place that says how a test client becomes
a member (:func:`become`), for when signing in changes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient

from thematica.demo import DATA, QUESTION, TEAM, TITLE
from thematica.domain import Approach, Level, MemberRole, format_path
from thematica.importers.codebook import read_codebook
from thematica.importers.codings import read_codings
from thematica.importers.guide import read_guide
from thematica.importers.mapping import read_manifest
from thematica.importers.register import read_register
from thematica.service import StudyService, TranscriptSource
from thematica.service.recruitment_types import NewCandidate

LEAD, CODER, READER = "Rachel Ames", "Tom Okafor", "Helen Marsh"
ANON_CODER, GONE = "Ann Only", "Dee Parted"


def build(location: str, key: Path) -> None:
    """The demo study (as ``thematica demo`` builds it) at ``location``, its key at ``key``."""
    from thematica.service.anonymising import AnonymisingStudy

    manifest = read_manifest((DATA / "interviews.csv").read_bytes(), "interviews.csv")
    with StudyService.creating(
        location, title=TITLE, research_question=QUESTION, approach=Approach.REFLEXIVE
    ) as study:
        for name, role in TEAM:
            study.add_team_member(name, role)
        study.add_team_member(ANON_CODER, MemberRole.CODER, anonymised_only=True)
        study.add_team_member(GONE, MemberRole.CODER)
        study.import_register(
            read_register((DATA / "register.csv").read_bytes(), "register.csv"),
            source="register.csv",
        )
        study.replace_guide(read_guide((DATA / "guide.md").read_bytes(), "guide.md"))
        study.import_transcripts(
            [
                TranscriptSource(
                    name=name,
                    read=partial((DATA / "interviews" / name).read_bytes),
                    participant=entry.participant,
                    interview_date=entry.interview_date,
                    interviewer=entry.interviewer,
                )
                for name, entry in sorted(
                    manifest.items(), key=lambda kv: kv[1].interview_date or 0
                )
            ]
        )
        analysis = DATA / "analysis"
        for name, level in (("codebook-level1.csv", Level.ONE), ("framework.yaml", None)):
            book = read_codebook((analysis / name).read_bytes(), name)
            study.import_codebook(book, source=name)
            if level is Level.ONE:
                data = (analysis / "codings-level1.csv").read_bytes()
                study.import_codings(read_codings(data, "c1.csv"), source="c1", level=Level.ONE)
        data = (analysis / "codings-level2.csv").read_bytes()
        study.import_codings(read_codings(data, "c2.csv"), source="c2", level=Level.TWO)
        study.add_criterion("I1", "Registered clinician")  # the recruitment log (issue 18)
        study.add_candidates([NewCandidate("M1", "Physiotherapist")])
    anon = AnonymisingStudy(study, key)
    anon.import_identities((DATA / "identities.csv").read_bytes(), "identities.csv")
    study.close()


def deactivate_gone(location: str) -> None:
    with StudyService.open(location) as study:
        study.deactivate(GONE, by=LEAD)


PASSWORD = "matrix password 1"


class Sessions:
    """A signed-in session (cookie token and CSRF token) per member, made through the service
    (a password check is an Argon2 hash: once per member, not per request)."""

    def __init__(self, location: str, names: list[str]) -> None:
        self.location = location
        self.tokens: dict[str, tuple[str, str]] = {}
        for name in names:
            self.renew(name)

    def renew(self, name: str) -> None:
        with StudyService.open(self.location) as study:
            signed = study.sign_in(name, PASSWORD, client="matrix")
        self.tokens[name] = (signed.token, signed.csrf)


def sign_everyone_in(location: str) -> Sessions:
    """Every member gets a password and signs in (the one to be deactivated too, first)."""
    from thematica.service.administrator import ADMINISTRATOR

    with StudyService.open(location) as study:
        names = [m.name for m in study.team()]
        for name in names:
            study.set_password(name, PASSWORD, by=ADMINISTRATOR)
    return Sessions(location, names)


@dataclass(frozen=True)
class Ids:
    """Real ids to fill the routes' path parameters and bodies with."""

    ref: str
    coding_id: int  # Tom's, in transcript 1
    code_id: int  # a level-one code with codings
    code_path: str
    node_id: int
    other_node: int
    link_id: int
    entry: int  # a lineage entry
    decision: int
    entry_id: int  # Tom's journal entry
    memo: str  # Tom's memo on a code
    disagreement: tuple[str, int, int]


def ids(location: str) -> Ids:
    """Look the ids up, and add what the demo lacks (a memo, a journal entry, a lineage entry)."""
    with StudyService.open(location) as study:
        tom = study.as_member(CODER)
        coding = next(c for c in tom.codings(transcript="1", level=Level.ONE) if c.coder == CODER)
        code = next(c for c in study.codes(Level.ONE) if c.path == coding.code)
        nodes, links = study.framework()
        memo = tom.add_memo(f"code:{code.id}", "A memo for the matrix.")
        entry = tom.add_journal_entry("A journal entry for the matrix.")
        lead = study.as_member(LEAD)
        lead.describe_code(code.path, description="For the matrix.")
        item = lead.reconciliation("1").items[0]
        return Ids(
            ref="1",
            coding_id=coding.id,
            code_id=code.id,
            code_path=format_path(code.path),
            node_id=nodes[0].id,
            other_node=nodes[1].id,
            link_id=links[0].id,
            entry=study.lineage()[-1].id,
            decision=1,
            entry_id=entry.id,
            memo=memo.ref,
            disagreement=(format_path(item.code), item.start, item.end),
        )


def become(client: TestClient, name: str | None, sessions: Sessions | None = None) -> None:
    """Make ``client`` act as team member ``name`` (None: nobody): with ``sessions``, as signed
    in (the session cookie, and the CSRF token on every request); otherwise chosen with the
    identity form (the single researcher's mode, no passwords)."""
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)
    if sessions is not None:
        if name is not None:
            token, csrf = sessions.tokens[name]
            client.cookies.set("thematica_session", token)
            client.headers["X-CSRF-Token"] = csrf
        return
    if name is not None:
        response = client.post("/identity", data={"name": name}, follow_redirects=False)
        if response.status_code == 404:  # not offered (deactivated): a cookie from before
            client.cookies.set("thematica_member", quote(name, safe=""))
            return
        assert response.status_code == 303, response.text
