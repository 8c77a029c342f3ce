"""A small study for the corrections tests: one plain-text interview of six turns by two
speakers, a lead, a coder, a reader and an anonymised-only coder, and codings by two coders."""

from __future__ import annotations

from thematica.domain import Level, MemberRole
from thematica.importers.register import read_register
from thematica.service import StudyService, TranscriptSource

LEAD, CODER, READER, ANON = "Rachel Ames", "Tom Okafor", "Helen Marsh", "Ann Only"
INTERVIEW = (
    "Interviewer: How has your back been since we last spoke?\n\n"
    "Pat: Honestly it keeps me awake at night. The physio said to keep moving.\n\n"
    "Interviewer: And your mood?\n\n"
    "Pat: Low, mostly. I stopped going to the allotment in March.\n\n"
    "Interviewer: What would help most?\n\n"
    "Pat: Seeing the same person every time, and somebody listening to me properly.\n"
)


def build(study: StudyService) -> StudyService:
    study.import_register(read_register(b"label,group\nP1,Physio\n", "r.csv"), source="r.csv")
    study.add_team_member(LEAD, MemberRole.LEAD)
    study.add_team_member(CODER, MemberRole.CODER)
    study.add_team_member(READER, MemberRole.READER)
    study.add_team_member(ANON, MemberRole.CODER, anonymised_only=True)
    study.import_transcripts(
        [TranscriptSource("p1.txt", lambda: INTERVIEW.encode(), participant="P1")]
    )
    return study


def code(study: StudyService, who: str, words: str, name: str = "Sleep") -> int:
    """``who`` codes the first occurrence of ``words`` in transcript 1."""
    text = study.transcript("1").text
    start = text.index(words)
    return study.as_member(who).add_coding(
        "1", (name,), start, start + len(words), level=Level.ONE, create_code=True
    )


def covered(study: StudyService) -> dict[int, str]:
    """Each coding's id and the text it covers now."""
    return {c.id: c.text for c in study.codings(transcript="1")}
