"""Property: merging any two codes and undoing the merge restores every coding, code, theme
assignment and origin exactly, and the merge itself never loses a coding."""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import snapshot
from thematica.domain import Level, MemberRole
from thematica.errors import ConflictError
from thematica.importers.codebook import read_codebook
from thematica.importers.codings import read_codings
from thematica.service import StudyService, TranscriptSource

PATHS = ["A", "A > A1", "A > A2", "B", "B > B1", "C"]


@st.composite
def scenarios(
    draw: st.DrawFn,
) -> tuple[list[tuple[int, str, str, int, int]], list[tuple[str, str, str]], tuple[str, str]]:
    codings = draw(
        st.lists(
            st.tuples(
                st.integers(1, 3),
                st.sampled_from(PATHS),
                st.sampled_from(["Ann", "Bob"]),
                st.integers(0, 40),
                st.integers(1, 20),
            ),
            max_size=25,
        )
    )
    themes = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["T1", "T2"]),
                st.sampled_from(PATHS),
                st.sampled_from(["codes", "divergent"]),
            ),
            max_size=6,
        )
    )
    source = draw(st.sampled_from(PATHS))
    target = draw(
        st.sampled_from([p for p in PATHS if p != source and not p.startswith(source + " >")])
    )
    return [(t, p, c, s, s + n) for t, p, c, s, n in codings], themes, (source, target)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_merge_then_undo_restores_everything(
    scenario: tuple[
        list[tuple[int, str, str, int, int]], list[tuple[str, str, str]], tuple[str, str]
    ],
) -> None:
    codings, themes, (source, target) = scenario
    with tempfile.TemporaryDirectory() as folder:
        location = str(Path(folder) / "s.thematica")
        with StudyService.create(location, title="T") as study:
            study.add_team_member("Ann", MemberRole.LEAD)
            study.add_team_member("Bob", MemberRole.CODER)
            study.import_transcripts(
                [
                    TranscriptSource(f"t{i}.txt", partial(bytes, (f"{i} " + "word " * 20).encode()))
                    for i in (1, 2, 3)
                ]
            )
            book = (
                "codes:\n"
                + "".join(f"  - {{path: '{p}', from: []}}\n" for p in PATHS)
                + "level: 1\n"
            )
            study.import_codebook(read_codebook(book.encode(), "c.yaml"), source="c.yaml")
            # level-two codes whose origins point at the level-one codes, and themes using the codes
            extra = "codes:\n  - {path: 'Agreed', from: ['" + "', '".join(PATHS) + "']}\nthemes:\n"
            for name in ("T1", "T2"):
                mine = [(p, kind) for n, p, kind in themes if n == name]
                supports = sorted({p for p, kind in mine if kind == "codes"})
                against = sorted({p for p, kind in mine if kind == "divergent"} - set(supports))
                extra += f"  - {{name: {name}, codes: {supports!r}, divergent: {against!r}}}\n"
            study.import_codebook(read_codebook(extra.encode(), "f.yaml"), source="f.yaml")
            unique = sorted(set(codings))
            if unique:
                data = "transcript,coder,code,start,end\n" + "".join(
                    f"{t},{c},{p},{s},{e}\n" for t, p, c, s, e in unique
                )
                study.import_codings(
                    read_codings(data.encode(), "x.csv"), source="x.csv", level=Level.ONE
                )
            before = snapshot(location)
            total = len(study.codings())
            try:
                entry = study.merge_codes(
                    tuple(source.split(" > ")), tuple(target.split(" > ")), by="Ann"
                )
            except ConflictError:
                # one supports a theme the other is divergent for: refused, and nothing changed
                assert snapshot(location) == before
                return
            assert len(study.codings()) == total
            study.undo(entry, by="Bob")
        after = snapshot(location)
        before.pop("lineage"), after.pop("lineage")
        before.pop("audit_log"), after.pop("audit_log")  # the merge and its undo are logged
        assert after == before
