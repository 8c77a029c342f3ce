"""The floor of transcript import: what reading, parsing and storing the same files costs with
nothing but the essentials, measured in the same run as Thematica's import (issue 15).

The floor reads each file's bytes, decodes them as UTF-8, parses them with a trivial WebVTT
parser (blocks split at blank lines, the timing line sliced, ``<v Name>`` found with ``str``
methods, consecutive cues of one speaker merged), and stores them with the standard library's
``sqlite3`` in one transaction: one ``INSERT`` per transcript, ``executemany`` for the turns and
for an FTS5 full-text index of the turns. The database has the same journal settings as a study
(WAL, ``synchronous = FULL``). It checks nothing, so it is a lower bound, not an alternative: no
encoding detection, no control characters, no NFC, no validation of timings or speakers, no
roles, no SQLAlchemy.

Two floors, differing only in the index:

* ``floor`` (the one the target is measured against): the index holds what a study's index
  holds, each turn's words folded by :class:`thematica.words.Words` (the one tokenizer behind
  search, in Python, so SQLite and PostgreSQL find the same turns), in an FTS5 table with the
  ``ascii`` tokenizer, as migration 0007 creates it;
* ``bare floor``: SQLite's own ``unicode61`` tokenizer folds the words in C. This index is not
  the one a study needs (its words differ from :mod:`thematica.words`'), so it is reported
  only to show what folding in Python costs.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

_SCHEMA = (
    "CREATE TABLE transcripts (id INTEGER PRIMARY KEY, source_name TEXT, text TEXT,"
    " word_count INTEGER)",
    "CREATE TABLE turns (id INTEGER PRIMARY KEY, transcript_id INTEGER REFERENCES transcripts(id),"
    " position INTEGER, speaker TEXT, start_offset INTEGER, end_offset INTEGER,"
    " start_ms INTEGER, end_ms INTEGER)",
    "CREATE INDEX turns_transcript ON turns (transcript_id)",
)
_INDEX = {
    True: "CREATE VIRTUAL TABLE search_turns USING fts5(words, content='', columnsize=0,"
    " tokenize='ascii')",
    False: "CREATE VIRTUAL TABLE search_turns USING fts5(words, content='', columnsize=0,"
    " tokenize='unicode61 remove_diacritics 2')",
}


def _ms(clock: str) -> int:
    hours, minutes, seconds = clock.strip().split(":")
    whole, _, fraction = seconds.partition(".")
    return ((int(hours) * 60 + int(minutes)) * 60 + int(whole)) * 1000 + int(fraction or 0)


def trivial_vtt(text: str) -> list[tuple[str, str, int, int]]:
    """(speaker, text, start ms, end ms) per turn; cues of one speaker in a row are merged."""
    turns: list[tuple[str, str, int, int]] = []
    pieces: list[list[str]] = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        at = next((i for i, line in enumerate(lines) if "-->" in line), -1)
        if at < 0:
            continue
        start, _, end = lines[at].partition("-->")
        payload = " ".join(lines[at + 1 :])
        speaker = ""
        if payload.startswith("<v "):
            close = payload.find(">")
            speaker = payload[3:close]
            payload = payload[close + 1 :]
        payload = payload.replace("</v>", "").strip()
        if not payload:
            continue
        if turns and turns[-1][0] == speaker:
            previous = turns[-1]
            turns[-1] = (speaker, "", previous[2], _ms(end))
            pieces[-1].append(payload)
        else:
            turns.append((speaker, "", _ms(start), _ms(end)))
            pieces.append([payload])
    return [(s, " ".join(p), a, b) for (s, _, a, b), p in zip(turns, pieces, strict=True)]


def floor_import(files: list[Path], database: Path, *, fold: bool = True) -> dict[str, float]:
    """Import ``files`` into a new database at ``database``; return words and seconds. With
    ``fold``, the index holds :mod:`thematica.words`' folded words (the ``floor``), otherwise
    the turns' text for SQLite's tokenizer (the ``bare floor``)."""
    from thematica.words import Words

    # Before the timing: the first Words() of a process builds its pattern (0.1 s), which the
    # import's process has done while creating its study (migration 0007 builds the index).
    words_of = Words().joined if fold else str
    for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    for statement in (*_SCHEMA, _INDEX[fold]):
        conn.execute(statement)
    started = time.perf_counter()  # like Thematica's figure, without creating the database
    cpu = time.process_time()
    words = 0
    turn_id = 0
    conn.execute("BEGIN")
    for transcript_id, path in enumerate(files, start=1):
        turns = trivial_vtt(path.read_bytes().decode("utf-8"))
        text = "\n\n".join(t[1] for t in turns)
        count = len(text.split())
        words += count
        conn.execute(
            "INSERT INTO transcripts VALUES (?, ?, ?, ?)", (transcript_id, path.name, text, count)
        )
        rows = []
        offset = 0
        for position, (speaker, said, start_ms, end_ms) in enumerate(turns):
            turn_id += 1
            rows.append(
                (
                    turn_id,
                    transcript_id,
                    position,
                    speaker,
                    offset,
                    offset + len(said),
                    start_ms,
                    end_ms,
                )
            )
            offset += len(said) + 2
        conn.executemany("INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany(
            "INSERT INTO search_turns (rowid, words) VALUES (?, ?)",
            [(row[0], words_of(t[1])) for row, t in zip(rows, turns, strict=True)],
        )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    conn.close()
    return {"transcripts": len(files), "words": words, "seconds": elapsed, "cpu_seconds": cpu}
