"""One agreement kernel: the study report, one transcript's figures (analysis pages) and
reconciliation give the same figures and the same disagreements for every transcript, because
they come from the same load and the same comparison."""

from __future__ import annotations

from tests.service.test_agreement_conventions import CODINGS, LENGTHS
from tests.service.test_analysis import A, B, build, code_spans, codes
from thematica.service import StudyService


def test_study_report_transcript_figures_and_reconciliation_agree(study: StudyService) -> None:
    build(study, ["x" * n for n in LENGTHS.values()])
    codes(study, *CODINGS)
    code_spans(
        study,
        [
            (t, coder, code, s, e)
            for code, by_transcript in CODINGS.items()
            for t, sides in by_transcript.items()
            for coder, found in zip((A, B), sides, strict=True)
            for s, e in found
        ],
    )
    report = study.agreement(A, B)
    for tid in report.transcripts:
        label = f"P{tid}"
        per_source = {
            c.code: s.result for c in report.codes for s in c.characters if s.transcript_id == tid
        }
        one = study.transcript_agreement(label, A, B)
        assert {c.code: c.characters for c in one.codes} == per_source
        rec = study.reconciliation(label, coders=(A, B))
        assert {f.code: f.agreement for f in rec.figures} == per_source
        expected = sorted(
            (d.code, d.kind, d.start, d.end, d.a_spans, d.b_spans)
            for d in report.disagreements
            if d.transcript_id == tid
        )
        assert sorted((i.code, i.kind, i.start, i.end, i.a, i.b) for i in rec.items) == expected
        assert one.disagreements == len(expected)
        # passages both coded identically: X in P2, Y in P3 and P5
        identical = {(a.code, a.start, a.end) for a in rec.agreements}
        assert identical == {
            ((code,), s, e)
            for code, by_transcript in CODINGS.items()
            for s, e in set(by_transcript.get(label, ([], []))[0])
            & set(by_transcript.get(label, ([], []))[1])
        }
