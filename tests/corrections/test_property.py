"""The acceptance property (issue 16): random sequences of text edits, speaker fixes, splits and
merges on a study with random codings keep every coding on its words, except codings whose words
were edited, which are flagged. "Its words" are the words it covers: a split puts the turn
separator in place of the white space at the split point and a merge a space in place of the
separator, so white space inside a coding may change, never a word. Also after every step: the
text is its turns joined, every coding lies inside the text, and a refused step changes nothing."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.corrections.world import CODER, LEAD, build
from thematica.domain import Level
from thematica.errors import ThematicaError
from thematica.service import StudyService
from thematica.text import assemble

VOCABULARY = ("physio", "sleep", "pain", "mood", "walking", "Tuesday", "never", "it's", "—")
CODES = ("Sleep", "Advice", "Mood")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "study.thematica"
    build(StudyService.create(str(path), title="T", research_question="Q")).close()
    return path


def words_of(text: str) -> list[str]:
    return text.split()


def add_random_codings(study: StudyService, data: st.DataObject) -> None:
    text = study.transcript("1").text
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    for _ in range(data.draw(st.integers(3, 10), label="codings")):
        first = data.draw(st.integers(0, len(spans) - 1))
        last = data.draw(st.integers(first, min(first + 8, len(spans) - 1)))
        who = data.draw(st.sampled_from((CODER, LEAD)))
        study.as_member(who).add_coding(
            "1",
            (data.draw(st.sampled_from(CODES)),),
            spans[first][0],
            spans[last][1],
            level=Level.ONE,
            create_code=True,
        )


def edited_text(old: str, data: st.DataObject) -> str:
    words = old.split(" ")
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        kind = data.draw(st.sampled_from(("replace", "insert", "delete")))
        i = data.draw(st.integers(0, len(words) - 1))
        if kind == "replace":
            words[i] = data.draw(st.sampled_from(VOCABULARY))
        elif kind == "insert":
            words.insert(i, data.draw(st.sampled_from(VOCABULARY)))
        elif len(words) > 1:
            del words[i]
    return " ".join(words)


def step(study: StudyService, data: st.DataObject) -> None:
    member = study.as_member(data.draw(st.sampled_from((CODER, LEAD)), label="who"))
    turns = study.transcript("1").turns
    n = data.draw(st.integers(1, len(turns)), label="turn")
    turn = turns[n - 1]
    kind = data.draw(st.sampled_from(("text", "speaker", "split", "merge")), label="kind")
    if kind == "text":
        member.correct_text("1", n, edited_text(turn.text, data))
    elif kind == "speaker":
        name = data.draw(st.sampled_from(("Pat", "Interviewer", "Sam")), label="speaker")
        member.correct_speaker(
            "1", n, name, new=name == "Sam", role="other" if name == "Sam" else None
        )
    elif kind == "split":
        member.split_turn("1", n, at=data.draw(st.integers(0, len(turn.text)), label="at"))
    else:
        member.merge_turns("1", n)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_corrections_keep_every_coding_on_its_words_or_flag_it(
    template: Path, data: st.DataObject
) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        shutil.copyfile(template, folder / "study.thematica")
        with StudyService.open(str(folder / "study.thematica")) as study:
            add_random_codings(study, data)
            for _ in range(data.draw(st.integers(1, 12), label="steps")):
                before = {c.id: (c.start, c.end, c.text) for c in study.codings()}
                text_before = study.transcript("1").text
                flagged_before = {f.coding.id: f.correction_id for f in study.flagged_codings()}
                refused = False
                try:
                    step(study, data)
                except ThematicaError:
                    refused = True
                t = study.transcript("1")
                after = {c.id: (c.start, c.end, c.text) for c in study.codings()}
                flagged = {f.coding.id: f.correction_id for f in study.flagged_codings()}
                assert set(after) == set(before)  # no coding is ever lost
                if refused:
                    assert (t.text, after, flagged) == (text_before, before, flagged_before)
                    continue
                assert assemble([turn.text for turn in t.turns])[0] == t.text
                assert set(flagged) >= set(flagged_before)  # only a coder clears a flag
                this = study.corrections()[-1].id
                by_this_step = {cid for cid, by in flagged.items() if by == this}
                for cid, (start, end, covered) in after.items():
                    assert 0 <= start < end <= len(t.text)
                    assert t.text[start:end] == covered
                    if cid not in by_this_step:
                        assert words_of(covered) == words_of(before[cid][2]), cid
    finally:
        shutil.rmtree(folder)
