"""Corrections at the same time on one transcript are made one after the other, each on the
other's result: none is lost, none fails with a server error, and the text stays its turns
joined. On SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.corrections.world import CODER, LEAD, build, code, covered
from thematica.service import StudyService
from thematica.text import assemble


def test_simultaneous_corrections_are_all_made(study: StudyService) -> None:
    build(study)
    kept = code(study, CODER, "somebody listening to me properly")
    before = covered(study)[kept]
    turns = study.transcript("1").turns
    edits = {n: turns[n - 1].text + " (checked)" for n in (1, 2, 3, 4, 5)}

    def correct(n: int) -> int:
        who = LEAD if n % 2 else CODER
        return study.as_member(who).correct_text("1", n, edits[n]).id

    with ThreadPoolExecutor(max_workers=5) as pool:
        ids = list(pool.map(correct, edits))
    assert sorted(ids) == [e.id for e in study.corrections()]
    t = study.transcript("1")
    assert [turn.text for turn in t.turns[:5]] == [edits[n] for n in (1, 2, 3, 4, 5)]
    assert assemble([turn.text for turn in t.turns])[0] == t.text
    assert covered(study)[kept] == before
