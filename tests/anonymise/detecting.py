"""Small helpers for the detection tests: what a list of findings covers."""

from __future__ import annotations

from thematica.anonymise.detect import Finding


def spans(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.text, f.category, f.confidence) for f in findings]


def texts(findings: list[Finding]) -> list[str]:
    return [f.text for f in findings]


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def check_slices(text: str, findings: list[Finding]) -> None:
    for f in findings:
        assert text[f.start : f.end] == f.text
