"""Property: turn offsets always slice the canonical text back to each turn's text, for any
speech written in any supported format."""

from __future__ import annotations

import html
import itertools
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.importers import read_transcript
from thematica.importers.turns import join_lines
from thematica.text import assemble

# Speech: any printable text including emoji, non-Latin scripts and combining marks, but no
# characters that carry syntax in the file formats (angle brackets, newlines, NUL).
speech = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
        blacklist_characters="<>&\r\n\x85\u2028\u2029\ufeff",
    ),
    min_size=1,
    max_size=80,
).filter(lambda s: s.strip() and "-->" not in s)
names = st.sampled_from(["Rachel Ames", "Zoë Nguyễn", "Siobhán Kelly", "P07", "Dr. O'Neill"])


@given(st.lists(speech, min_size=0, max_size=20))
def test_assemble_offsets_slice_back(texts: list[str]) -> None:
    text, spans = assemble(texts)
    assert [text[s.start : s.end] for s in spans] == texts
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(names, speech), min_size=1, max_size=15))
def test_vtt_import_round_trip_and_offsets(cues: list[tuple[str, str]]) -> None:
    lines = ["WEBVTT", ""]
    for i, (name, said) in enumerate(cues):
        lines += [
            f"guid/{i}-0",
            f"00:00:{i:02d}.000 --> 00:00:{i:02d}.500",
            f"<v {name}>{html.escape(said, quote=False)}</v>",
            "",
        ]
    parsed = read_transcript("\n".join(lines).encode("utf-8"), "p.vtt")
    text, spans = assemble([t.text for t in parsed.turns])
    for turn, span in zip(parsed.turns, spans, strict=True):
        assert text[span.start : span.end] == turn.text
    # nothing said is lost or reordered: merged turns join the cues' words in order (the text
    # is put in Unicode NFC on import, so compare with the NFC form of what was said)
    said = unicodedata.normalize("NFC", " ".join(join_lines(s) for _, s in cues))
    assert " ".join(t.text for t in parsed.turns).split() == said.split()
