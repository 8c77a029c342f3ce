"""Decide who is the participant and who the interviewer in a transcript.

The user's mapping wins. Otherwise the speaker who talks most (in words) is the participant and
every other named speaker is an interviewer; the user can correct this later with
``thematica transcripts speakers``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from thematica.domain import ParsedTranscript, SpeakerRole, word_count


def words_by_speaker(parsed: ParsedTranscript) -> Counter[str]:
    counts: Counter[str] = Counter()
    for turn in parsed.turns:
        counts[turn.speaker] += word_count(turn.text)
    return counts


def find_speaker(name: str, speakers: tuple[str, ...]) -> str | None:
    """The speaker in ``speakers`` called ``name`` (case and surrounding spaces ignored)."""
    wanted = name.strip().casefold()
    return next((s for s in speakers if s.casefold() == wanted), None)


def assign_roles(
    parsed: ParsedTranscript, given: Mapping[str, SpeakerRole] | None = None
) -> dict[str, SpeakerRole]:
    """A role for every speaker of ``parsed``. Names in ``given`` not in the file are ignored
    here; callers that must insist on them check with :func:`find_speaker` first."""
    roles: dict[str, SpeakerRole] = {}
    for name, role in (given or {}).items():
        speaker = find_speaker(name, parsed.speakers)
        if speaker is not None:
            roles[speaker] = role
    if SpeakerRole.PARTICIPANT not in roles.values():
        words = words_by_speaker(parsed)
        open_speakers = [s for s in parsed.speakers if s not in roles]
        if open_speakers:
            most = max(open_speakers, key=lambda s: (words[s], -parsed.speakers.index(s)))
            roles[most] = SpeakerRole.PARTICIPANT
    for speaker in parsed.speakers:
        roles.setdefault(speaker, SpeakerRole.INTERVIEWER if speaker else SpeakerRole.OTHER)
    return roles
