"""The recruitment log (issue 18): screening criteria, candidates, screening, consent and status
changes, each in the caller's transaction. A candidate who consents becomes a participant with
the next label of their group. See docs/recruitment.md.

Every check runs before anything is written, so bad input leaves the study as it was. Candidates
are named by a pseudonymous id; a value that looks like an e-mail address or a telephone number
is refused everywhere in the log: contact details belong in the key file, never in the study."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematica.errors import ConflictError, NotFoundError, ThematicaError
from thematica.service import audit
from thematica.service.recruitment_checks import KEY, check_ref, no_contact
from thematica.service.recruitment_types import (
    APPROACHED,
    CONSENTED,
    ELIGIBLE,
    EXCLUSION,
    INCLUSION,
    INELIGIBLE,
    INTERVIEWED,
    MOVES,
    WITHDRAWN,
    Candidate,
    Consent,
    Criterion,
    NewCandidate,
    status_name,
)
from thematica.storage.models import (
    CandidateAnswerRow,
    CandidateRow,
    ConsentRow,
    CriterionRow,
    ParticipantRow,
    TranscriptRow,
)

# -- criteria --------------------------------------------------------------------------------


def criteria(session: Session) -> tuple[Criterion, ...]:
    rows = session.scalars(select(CriterionRow).order_by(CriterionRow.position))
    return tuple(Criterion(r.key, r.kind, r.text) for r in rows)


def add_criterion(session: Session, key: str, text: str, kind: str) -> Criterion:
    key = key.strip()
    if not KEY.fullmatch(key):
        raise ThematicaError(
            f"criterion key {key!r}: a short key of letters, digits, '.', '_' or '-' such as I1"
        )
    if kind not in (INCLUSION, EXCLUSION):
        raise ThematicaError(f"a criterion is an {INCLUSION} or an {EXCLUSION} criterion")
    text = " ".join(text.split())
    if not text:
        raise ThematicaError(f"criterion {key}: say what it asks")
    if _criterion_row(session, key, missing_ok=True) is not None:
        raise ConflictError(f"the study already has a criterion {key!r}")
    position = (session.scalar(select(func.max(CriterionRow.position))) or 0) + 1
    row = CriterionRow(key=key, kind=kind, text=text, position=position)
    session.add(row)
    session.flush()
    audit.record(session, action="recruitment.criterion", target=f"criterion {row.id}", details={})
    return Criterion(key, kind, text)


def _criterion_row(session: Session, key: str, *, missing_ok: bool = False) -> CriterionRow | None:
    row = session.scalar(
        select(CriterionRow).where(func.lower(CriterionRow.key) == key.strip().lower())
    )
    if row is None and not missing_ok:
        known = ", ".join(c.key for c in criteria(session)) or "none yet"
        raise NotFoundError(f"no screening criterion {key.strip()!r} (criteria: {known})")
    return row


# -- candidates ------------------------------------------------------------------------------


def _row(session: Session, ref: str) -> CandidateRow:
    row = session.scalar(
        select(CandidateRow).where(func.lower(CandidateRow.ref) == " ".join(ref.split()).lower())
    )
    if row is None:
        raise NotFoundError(f"no candidate {ref.strip()!r} in the recruitment log")
    return row


def candidates(session: Session) -> tuple[Candidate, ...]:
    keys = {r.id: r.key for r in session.scalars(select(CriterionRow))}
    order = {r.id: r.position for r in session.scalars(select(CriterionRow))}
    answers: dict[int, list[tuple[int, bool]]] = {}
    for a in session.scalars(select(CandidateAnswerRow)):
        answers.setdefault(a.candidate_id, []).append((a.criterion_id, a.answer))
    consents = {c.candidate_id: c for c in session.scalars(select(ConsentRow))}
    with_transcript = set(
        session.scalars(
            select(func.lower(ParticipantRow.label)).join(
                TranscriptRow, TranscriptRow.participant_id == ParticipantRow.id
            )
        )
    )
    out = []
    for r in session.scalars(select(CandidateRow).order_by(CandidateRow.position)):
        consent = consents.get(r.id)
        had_interview = r.interviewed_on is not None or (
            r.participant_label is not None and r.participant_label.lower() in with_transcript
        )
        status = INTERVIEWED if r.status == CONSENTED and had_interview else r.status
        out.append(
            Candidate(
                ref=r.ref,
                group=r.group_name,
                source=r.source,
                approach=r.approach,
                approached_on=r.approached_on,
                status=status,
                status_on=r.status_on,
                reason=r.reason,
                screened_on=r.screened_on,
                excluded_by=keys.get(r.excluded_by) if r.excluded_by else None,
                answers=tuple(
                    (keys[c], a)
                    for c, a in sorted(answers.get(r.id, []), key=lambda x: order[x[0]])
                ),
                consent=None
                if consent is None
                else Consent(
                    consent.consented_on,
                    consent.sheet_version,
                    consent.form_version,
                    consent.form_location,
                    consent.recorded_by,
                ),
                participant=r.participant_label,
                interviewed=had_interview,
            )
        )
    return tuple(out)


def candidate(session: Session, ref: str) -> Candidate:
    wanted = _row(session, ref).ref
    return next(c for c in candidates(session) if c.ref == wanted)


def add_candidates(session: Session, new: Sequence[NewCandidate], source: str = "") -> int:
    """Add candidates, all or none; ``source`` names the file for messages."""
    where = f"{source}: " if source else ""
    taken = {r.casefold() for r in session.scalars(select(CandidateRow.ref))}
    rows = []
    today = dt.date.today()
    position = (session.scalar(select(func.max(CandidateRow.position))) or 0) + 1
    for item in new:
        ref = check_ref(item.ref)
        if ref.casefold() in taken:
            raise ConflictError(f"{where}candidate {ref!r} is already in the recruitment log")
        taken.add(ref.casefold())
        on = item.approached_on or today
        if on > today:
            raise ThematicaError(f"{where}candidate {ref}: approached on {on}, a date to come")
        rows.append(
            CandidateRow(
                ref=ref,
                group_name=no_contact(f"{where}candidate {ref}'s group", item.group),
                source=no_contact(f"{where}candidate {ref}'s source", item.source),
                approach=no_contact(f"{where}candidate {ref}'s method of approach", item.approach),
                approached_on=on,
                status=APPROACHED,
                status_on=on,
                position=position,
            )
        )
        position += 1
    if not rows:
        raise ThematicaError(f"{where}no candidates to add")
    session.add_all(rows)
    session.flush()
    audit.record(
        session, action="recruitment.add", target="study", details={"candidates": len(rows)}
    )
    return len(rows)


def screen(
    session: Session,
    ref: str,
    on: dt.date,
    answers: Mapping[str, bool],
    *,
    all_met: bool = False,
) -> Candidate:
    """Record a candidate's answers to every criterion (``all_met``: every criterion met unless
    ``answers`` says otherwise). Eligible when every inclusion criterion is met and no exclusion
    criterion applies; else ineligible for the first criterion in checklist order that fails."""
    row = _row(session, ref)
    if row.screened_on is not None:
        raise ConflictError(
            f"candidate {row.ref} was already screened on {row.screened_on} "
            f"({status_name(row.status)}): a candidate is screened once"
        )
    if row.status != APPROACHED:
        raise ConflictError(f"candidate {row.ref} is {status_name(row.status)}: not for screening")
    if on < row.approached_on:
        raise ThematicaError(
            f"candidate {row.ref}: screened on {on}, before they were approached "
            f"({row.approached_on})"
        )
    checklist = list(session.scalars(select(CriterionRow).order_by(CriterionRow.position)))
    if not checklist:
        raise ThematicaError(
            "the study has no screening criteria yet: add them with "
            "`thematica recruitment criterion STUDY KEY TEXT`"
        )
    given: dict[int, bool] = {}
    for key, answer in answers.items():
        found = _criterion_row(session, key)
        assert found is not None
        given[found.id] = answer
    missing = [c.key for c in checklist if c.id not in given and not all_met]
    if missing:
        raise ThematicaError(
            f"candidate {row.ref}: no answer for {', '.join(missing)} (answer every criterion, "
            "or give --all-met and the answers that differ)"
        )
    full = {c.id: given.get(c.id, c.kind == INCLUSION) for c in checklist}
    failing = next(
        (c for c in checklist if Criterion(c.key, c.kind, c.text).excludes(full[c.id])), None
    )
    session.add_all(
        CandidateAnswerRow(candidate_id=row.id, criterion_id=c, answer=a) for c, a in full.items()
    )
    row.screened_on = on
    row.status = ELIGIBLE if failing is None else INELIGIBLE
    row.status_on = on
    row.excluded_by = None if failing is None else failing.id
    session.flush()
    audit.record(
        session,
        action="recruitment.screen",
        target=f"candidate {row.id}",
        details={"eligible": failing is None, "criterion": failing.id if failing else None},
    )
    return candidate(session, row.ref)


def consent(
    session: Session,
    ref: str,
    on: dt.date,
    *,
    sheet_version: str,
    form_version: str,
    form_location: str,
    by: str,
    group: str = "",
) -> Candidate:
    """Record consent and add the candidate to the register with the next label of their
    group (a label once given is never given again)."""
    row = _row(session, ref)
    if row.status != ELIGIBLE:
        hint = " (screen them first)" if row.status == APPROACHED else ""
        raise ConflictError(
            f"candidate {row.ref} is {status_name(row.status)}: only an eligible candidate can "
            f"consent{hint}"
        )
    assert row.screened_on is not None
    if on < row.screened_on:
        raise ThematicaError(
            f"candidate {row.ref}: consent dated {on}, before their screening on {row.screened_on}"
        )
    if on > dt.date.today():
        raise ThematicaError(f"candidate {row.ref}: consent dated {on}, a date to come")
    versions = {}
    for what, value in (
        ("information-sheet version", sheet_version),
        ("consent-form version", form_version),
        ("where the signed form is kept", form_location),
    ):
        versions[what] = no_contact(f"candidate {row.ref}: {what}", value)
        if not versions[what]:
            raise ThematicaError(f"candidate {row.ref}: give the {what}")
    group = no_contact(f"candidate {row.ref}'s group", group) or row.group_name
    if not group:
        raise ThematicaError(
            f"candidate {row.ref} has no group: give --group, their label is numbered in it"
        )
    label = next_label(session, group)
    position = (session.scalar(select(func.max(ParticipantRow.position))) or 0) + 1
    session.add(ParticipantRow(label=label, group_name=group, position=position))
    session.add(
        ConsentRow(
            candidate_id=row.id,
            consented_on=on,
            sheet_version=versions["information-sheet version"],
            form_version=versions["consent-form version"],
            form_location=versions["where the signed form is kept"],
            recorded_by=by,
            recorded_at=dt.datetime.now(dt.UTC),
        )
    )
    row.group_name = group
    row.status = CONSENTED
    row.status_on = on
    row.participant_label = label
    session.flush()
    audit.record(session, action="recruitment.consent", target=f"candidate {row.id}", details={})
    return candidate(session, row.ref)


def next_label(session: Session, group: str) -> str:
    """ "<prefix> <n+1>": the prefix the group's participants already use ("Physio" for the
    group "Physiotherapist"), else the group's name; n the highest number the prefix has had,
    in the register or given to a candidate since (so a withdrawn participant's label is never
    reused)."""
    labels = list(
        session.scalars(select(ParticipantRow.label).where(ParticipantRow.group_name == group))
    )
    prefixes = Counter(
        m.group(1) for m in (re.match(r"^(.*\S)\s+(\d+)$", label) for label in labels) if m
    )
    prefix = prefixes.most_common(1)[0][0] if prefixes else group
    every = [
        *session.scalars(select(ParticipantRow.label)),
        *(x for x in session.scalars(select(CandidateRow.participant_label)) if x),
    ]
    highest = 0
    for label in every:
        m = re.match(r"^(.*\S)\s+(\d+)$", label)
        if m and m.group(1).casefold() == prefix.casefold():
            highest = max(highest, int(m.group(2)))
    taken = {label.casefold() for label in every}
    n = highest + 1
    while f"{prefix} {n}".casefold() in taken:
        n += 1
    return f"{prefix} {n}"


def set_status(session: Session, ref: str, status: str, on: dt.date, reason: str = "") -> Candidate:
    """Declined, lost to follow-up, interviewed or withdrawn, from the statuses in
    :data:`MOVES`; never dated before the candidate's last change."""
    row = _row(session, ref)
    if status not in MOVES:
        raise ThematicaError(
            f"status {status!r}: `recruitment status` sets {', '.join(MOVES)} (screening and "
            "consent have their own commands)"
        )
    current = candidate(session, row.ref).status
    if current == status:
        raise ConflictError(f"candidate {row.ref} is already {status_name(status)}")
    if current not in MOVES[status]:
        allowed = ", ".join(status_name(s) for s in MOVES[status])
        raise ConflictError(
            f"candidate {row.ref} is {status_name(current)}: only a candidate who is {allowed} "
            f"can become {status_name(status)}"
        )
    if on < row.status_on:
        raise ThematicaError(
            f"candidate {row.ref}: {status_name(status)} on {on}, before their last change "
            f"({status_name(current)} on {row.status_on})"
        )
    if on > dt.date.today():
        raise ThematicaError(f"candidate {row.ref}: dated {on}, a date to come")
    reason = no_contact(f"candidate {row.ref}'s reason", reason)
    if current == INTERVIEWED and row.interviewed_on is None:  # interviewed: a transcript
        row.interviewed_on = row.status_on
    if status == INTERVIEWED:
        row.interviewed_on = on
    row.status = status
    row.status_on = on
    row.reason = reason
    session.flush()
    audit.record(
        session,
        action="recruitment.status",
        target=f"candidate {row.id}",
        details={"status": status, "reason given": bool(reason)},
    )
    return candidate(session, row.ref)


def withdraw_participant(session: Session, label: str, on: dt.date, reason: str = "") -> bool:
    """For ``participants withdraw`` (in its own transaction, before it removes the data): mark
    the candidate who became participant ``label`` as withdrawn, remembering whether they had
    been interviewed. False when the log has no such candidate (a participant from a register
    import) or their status cannot become withdrawn (already withdrawn, lost to follow-up): the
    withdrawal of their data goes ahead all the same."""
    row = session.scalar(
        select(CandidateRow).where(func.lower(CandidateRow.participant_label) == label.lower())
    )
    if row is None or row.status not in MOVES[WITHDRAWN]:  # e.g. lost to follow-up: as it was
        return False
    set_status(session, row.ref, WITHDRAWN, max(on, row.status_on), reason)
    return True
