"""``python bench/run.py audit``: the manuscript audit of a 10,000-word draft with 200 count
claims and 100 quotes against the large analysed synthetic study (``bench/run.py analysis``
builds and caches it under bench/out/).

The draft is made from the study itself: one section per theme node or code, claims with the
true count (every twentieth one off by one), quotes taken from the participants' transcripts
(every tenth attributed to the wrong participant, every tenth with a changed word, every fifth
with an ellipsis "[…]"), and filler sentences to 10,000 words. The figure is the wall time of
reading the draft plus ``StudyService.audit_draft`` (the study's counts and transcripts read
once, then every claim and quote checked), best of ``--repeat`` runs.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from thematica.manuscript.numbers import spell

FILLER = (
    "Participants talked about their work in community clinics and hospital wards, "
    "and the interviews covered referral routes, time pressure and training."
)


def make_draft(study_path: Path, claims: int = 200, quotes: int = 100, words: int = 10_000) -> str:
    from thematica.service import StudyService

    rng = random.Random(17)
    with StudyService.open(str(study_path)) as study:
        counts = study.counts()
        summaries = [t for t in study.transcripts() if t.participant]
        chosen = rng.sample(summaries, quotes)
        texts = {t.id: study.transcript(str(t.id)).text for t in chosen}
    nodes = [row for row in (*counts.themes, *counts.codes) if row.total > 0]
    others = [t.participant for t in summaries]
    parts: list[str] = [
        "# A large synthetic study",
        "## Methods",
        f"{counts.total:,} participants took part.",
    ]
    quote_at = 0
    for number in range(claims):
        row = nodes[number % len(nodes)]
        n = row.rolled_up + (1 if number % 20 == 19 and row.rolled_up < row.total else 0)
        said = spell(n) if n <= 100 else f"{n:,}"
        if number % 10 == 0:
            parts.append(f"## {row.path[-1]}")
        paragraph = [
            f"{said.capitalize()} of the {row.total:,} participants described {row.path[-1]}."
        ]
        if number % 2 == 0 and quote_at < quotes:
            t = chosen[quote_at]
            text = texts[t.id].split()
            start = rng.randrange(0, max(1, len(text) - 40))
            piece = text[start : start + 14]
            if quote_at % 5 == 4:
                piece = [*piece[:5], "[…]", *text[start + 9 : start + 18]]
            if quote_at % 10 == 3:
                piece[6] = "astonishingly"
            who = t.participant
            if quote_at % 10 == 7:
                who = rng.choice([o for o in others if o != t.participant])
            paragraph.append(f"“{' '.join(piece)}” ({who}).")
            quote_at += 1
        parts.append(" ".join(paragraph))
    while quote_at < quotes:  # the rest as block quotes
        t = chosen[quote_at]
        text = texts[t.id].split()
        start = rng.randrange(0, max(1, len(text) - 40))
        parts.append(f"> {' '.join(text[start : start + 20])} ({t.participant})")
        quote_at += 1
    so_far = sum(len(p.split()) for p in parts)
    parts.append("## Discussion")
    while so_far < words:
        parts.append(" ".join([FILLER] * 4))
        so_far += len(parts[-1].split())
    return "\n\n".join(parts) + "\n"


def bench_audit(study_path: Path, repeat: int) -> None:
    from thematica.manuscript.draft import read_draft
    from thematica.service import StudyService

    text = make_draft(study_path)
    data = text.encode()
    times = []
    report = None
    with StudyService.open(str(study_path)) as study:
        for _ in range(repeat):
            started = time.perf_counter()
            report = study.audit_draft(read_draft(data, "large-draft.md"))
            times.append(time.perf_counter() - started)
    assert report is not None
    print(
        json.dumps(
            {
                "benchmark": "audit",
                "study": str(study_path),
                "draft_words": len(text.split()),
                "claims_found": len(report.claims),
                "quotes_found": len(report.quotes),
                "summary": report.summary,
                "seconds_best": round(min(times), 2),
                "seconds_all": [round(t, 2) for t in times],
            },
            indent=2,
        )
    )
