"""SQLAlchemy tables of a study. One study per database (a SQLite file or a PostgreSQL database).

Turn text is not stored: it is ``transcripts.text[start_offset:end_offset]`` (code points, end
exclusive). Codes and codings reference transcripts by id and offsets only, so analysis layers
never reshape transcripts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import false

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class StudyRow(Base):
    __tablename__ = "study"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    research_question: Mapped[str] = mapped_column(Text, default="")
    approach: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # blind level-one coding: coders see only their own codings until a transcript is revealed [0005]
    blind_coding: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # the lead's rule: a transcript is revealed for reconciliation only once checked [0013]
    reveal_requires_checked: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class TeamMemberRow(Base):
    __tablename__ = "team_members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    # readers, and anyone the lead marks so, may never see original (un-anonymised) text [0004]
    anonymised_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # accounts [0009]: an Argon2id hash in PHC form (it records its own parameters), or None for
    # a member who has never set a password; deactivated members keep their work but sign in no more
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    deactivated_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )


class AttributeDefRow(Base):
    __tablename__ = "attribute_defs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)


class ParticipantRow(Base):
    __tablename__ = "participants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(200), unique=True)
    group_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)


class ParticipantValueRow(Base):
    """One typed attribute value, stored as its canonical text (ISO dates, ``true``/``false``)."""

    __tablename__ = "participant_values"
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    attribute_id: Mapped[int] = mapped_column(
        ForeignKey("attribute_defs.id", ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[str] = mapped_column(Text)


class GuideQuestionRow(Base):
    __tablename__ = "guide_questions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, unique=True)
    text: Mapped[str] = mapped_column(Text)


class GuidePromptRow(Base):
    __tablename__ = "guide_prompts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("guide_questions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("question_id", "position"),)


class TranscriptRow(Base):
    __tablename__ = "transcripts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    source_name: Mapped[str] = mapped_column(String(500))
    source_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source_format: Mapped[str] = mapped_column(String(32))
    interview_date: Mapped[dt.date | None] = mapped_column(Date)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    interviewer: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revealed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # [0005]
    revealed_by: Mapped[str | None] = mapped_column(String(200))  # [0005]
    # none | partly | anonymised: only "anonymised" is shown to anonymised-only members [0008]
    anonymisation: Mapped[str] = mapped_column(String(16), default="none", server_default="none")
    anonymisation_scanned_at: Mapped[dt.datetime | None] = mapped_column(  # [0008]
        DateTime(timezone=True)
    )
    # JSON (analysis.source_units.SourceUnits): REFI-QDA imports whose source counted some
    # characters as more or fewer units than one [0012]
    source_units: Mapped[str | None] = mapped_column(Text)
    # checked against the recording: automatic | checking | checked, and who set it when [0013]
    checking: Mapped[str] = mapped_column(
        String(16), default="automatic", server_default="automatic"
    )
    checked_by: Mapped[str | None] = mapped_column(String(200))
    checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class TurnRow(Base):
    __tablename__ = "turns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("transcripts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    start_ms: Mapped[int | None] = mapped_column(Integer)
    end_ms: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (
        UniqueConstraint("transcript_id", "position"),
        CheckConstraint("start_offset <= end_offset", name="ordered_offsets"),
    )


# --- Analysis layer (revision 0002): fits beside transcripts without reshaping them. ---


class CodeRow(Base):
    """A code in the codebook. ``level`` 1 = a coder's own level-one code, 2 = agreed."""

    __tablename__ = "codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str | None] = mapped_column(String(7))
    level: Mapped[int] = mapped_column(Integer, default=1)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (CheckConstraint("level IN (1, 2)", name="known_level"),)


class CodingRow(Base):
    """Who coded which span of which transcript with which code (code points, end exclusive)."""

    __tablename__ = "codings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("transcripts.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="RESTRICT"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("team_members.id", ondelete="RESTRICT"))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    memo: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    modified_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        CheckConstraint("start_offset < end_offset", name="non_empty_span"),
        Index("ix_codings_transcript_code", "transcript_id", "code_id"),
        Index("ix_codings_code_transcript", "code_id", "transcript_id", "coder_id"),  # [0016]
    )


# --- Theme framework and lineage (revision 0003). ---


class CodeOriginRow(Base):
    """A level-two (agreed) code and a level-one code it was formed from."""

    __tablename__ = "code_origins"
    code_id: Mapped[int] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), primary_key=True
    )
    origin_id: Mapped[int] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), primary_key=True
    )


class ThemeNodeRow(Base):
    """A node of the theme framework: overarching theme > theme > sub-theme (any depth)."""

    __tablename__ = "theme_nodes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme_nodes.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class NodeCodeRow(Base):
    """A code assigned to a theme node, supporting it or contrary to it (a divergent case)."""

    __tablename__ = "node_codes"
    node_id: Mapped[int] = mapped_column(
        ForeignKey("theme_nodes.id", ondelete="CASCADE"), primary_key=True
    )
    code_id: Mapped[int] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), primary_key=True
    )
    stance: Mapped[str] = mapped_column(String(16))
    __table_args__ = (CheckConstraint("stance IN ('supports', 'divergent')", name="known_stance"),)


class NodeLinkRow(Base):
    """A named interlink between two theme nodes."""

    __tablename__ = "node_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_node_id: Mapped[int] = mapped_column(ForeignKey("theme_nodes.id", ondelete="CASCADE"))
    to_node_id: Mapped[int] = mapped_column(ForeignKey("theme_nodes.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("from_node_id", "to_node_id", "label"),)


class LineageRow(Base):
    """One codebook operation (rename, merge, split, move, describe): who, when, what.

    ``details`` is JSON with everything needed to explain the operation and, for a merge, to undo
    it exactly; it never holds transcript text.
    """

    __tablename__ = "lineage"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    operation: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text)
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by: Mapped[str | None] = mapped_column(String(200))


# --- Anonymisation (revision 0004). Original text lives only in the separate key file. ---


class AnonymisationLogRow(Base):
    """One replacement applied to the study: who, when, where, what kind, what it became.

    Never the original text: that is in the key file, which the study can be shared without.
    """

    __tablename__ = "anonymisation_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    transcript_id: Mapped[int | None] = mapped_column(
        ForeignKey("transcripts.id", ondelete="SET NULL")
    )
    field: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(64))
    detector: Mapped[str] = mapped_column(String(32))
    replacement: Mapped[str] = mapped_column(String(300))
    occurrences: Mapped[int] = mapped_column(Integer)


# --- Reconciliation (revision 0006): how each level-one disagreement became the agreed layer. ---


class ReconciliationRow(Base):
    """A decision on one disagreement of a revealed transcript: accept A, accept B, accept
    both, edit or drop. ``start``/``end`` and ``code_id`` (the level-one code) identify the
    disagreement; ``coding_ids`` (JSON) are the level-two codings it produced, so that the
    decision can be undone exactly."""

    __tablename__ = "reconciliations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(16))
    coding_ids: Mapped[str] = mapped_column(Text, default="[]")
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        UniqueConstraint("transcript_id", "code_id", "start_offset", "end_offset"),
        CheckConstraint(
            "decision IN ('accept_a', 'accept_b', 'both', 'edit', 'drop')", name="known_decision"
        ),
    )


# --- Memos, the reflexive journal and the search index (revision 0007). ---
# The full-text index of turns is backend-specific (SQLite FTS5, PostgreSQL tsvector) and derived
# from the text; it is created by the migration and kept by ``storage/search_index.py``.


class MemoRow(Base):
    """A memo on exactly one code, theme node or transcript (coding memos are ``codings.memo``)."""

    __tablename__ = "memos"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_id: Mapped[int | None] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), index=True
    )
    node_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme_nodes.id", ondelete="CASCADE"), index=True
    )
    transcript_id: Mapped[int | None] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("team_members.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    modified_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN code_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN node_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN transcript_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
    )


class JournalEntryRow(Base):
    """A researcher's reflexive-journal entry or field note, timestamped."""

    __tablename__ = "journal_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(
        ForeignKey("team_members.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    modified_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (CheckConstraint("kind IN ('journal', 'field-note')", name="known_kind"),)


class JournalTranscriptRow(Base):
    __tablename__ = "journal_transcripts"
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("journal_entries.id", ondelete="CASCADE"), primary_key=True
    )
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), primary_key=True
    )


class JournalCodeRow(Base):
    __tablename__ = "journal_codes"
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("journal_entries.id", ondelete="CASCADE"), primary_key=True
    )
    code_id: Mapped[int] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), primary_key=True
    )


class AnonymisationRunRow(Base):
    """An ``anonymise apply`` under way [0008]: written (``applying``) before the key file is
    touched, set to ``applied`` in the same transaction as the study's new text, removed once the
    key file's copy from before the run is gone. A run found ``applying`` on the next opening
    with the key never reached the study: the key file is put back as it was."""

    __tablename__ = "anonymisation_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(16))  # applying | applied
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))


class InvitationRow(Base):
    """A one-time link for a member to set their password [0009]. Only the SHA-256 of its random
    token is stored; it is used at most once and expires."""

    __tablename__ = "invitations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("team_members.id", ondelete="CASCADE"))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SignInSessionRow(Base):
    """A signed-in browser [0009]. The cookie holds a random 256-bit token; only its SHA-256 is
    stored, so a copy of the database does not sign anyone in. Ended on sign-out, password
    change, deactivation or idle time."""

    __tablename__ = "signin_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("team_members.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    client: Mapped[str] = mapped_column(String(200), default="", server_default="")


class SignInFailureRow(Base):
    """Failed sign-ins counted per key ("account:NAME" or "client:ADDRESS") [0009], for the
    growing delay after repeated failures."""

    __tablename__ = "signin_failures"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """The audit log [0009]: who did what, when, from which client. ``details`` is JSON of ids,
    names of codes and themes, counts: never transcript text or an original identifier."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    client: Mapped[str] = mapped_column(String(200), default="", server_default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(300), default="", server_default="")
    details: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")


class RecruitmentPlanRow(Base):
    """The study's sample-size plan and stopping rule, and the lead's decision to stop [0010].
    One row: the planned maximum, the rule (``guest`` base/run/threshold or ``francis``
    initial/stop), the setting of data collection; ``stopped_*`` once a lead has decided."""

    __tablename__ = "recruitment_plan"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    maximum: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rule: Mapped[str] = mapped_column(String(16), default="guest")  # guest | francis
    base: Mapped[int] = mapped_column(Integer, default=4)
    run: Mapped[int] = mapped_column(Integer, default=2)
    threshold: Mapped[str] = mapped_column(String(16), default="0.05")  # as written: exact
    initial: Mapped[int] = mapped_column(Integer, default=10)
    stop: Mapped[int] = mapped_column(Integer, default=3)
    sampling: Mapped[str] = mapped_column(Text, default="", server_default="")
    setting: Mapped[str] = mapped_column(Text, default="", server_default="")
    stopped_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    stopped_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    stop_memo: Mapped[str | None] = mapped_column(Text, nullable=True)
    stop_interviews: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stop_verdict: Mapped[str | None] = mapped_column(Text, nullable=True)
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class CriterionRow(Base):
    """One inclusion or exclusion criterion of the screening checklist [0010]."""

    __tablename__ = "recruitment_criteria"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # inclusion | exclusion
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)


class CandidateRow(Base):
    """A potential participant, by a pseudonymous id only [0010]: contact details stay in the
    key file. ``participant_label`` is the label they were given on consenting (kept as text, so
    a label once given is never given again, whatever happens to the participant)."""

    __tablename__ = "recruitment_candidates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    group_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    source: Mapped[str] = mapped_column(String(200), default="", server_default="")
    approach: Mapped[str] = mapped_column(String(200), default="", server_default="")
    approached_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    status_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    screened_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    excluded_by: Mapped[int | None] = mapped_column(
        ForeignKey("recruitment_criteria.id", ondelete="RESTRICT"), nullable=True
    )
    interviewed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    participant_label: Mapped[str | None] = mapped_column(String(200), nullable=True, unique=True)
    position: Mapped[int] = mapped_column(Integer)


class CandidateAnswerRow(Base):
    """A candidate's answer to one criterion at screening [0010]."""

    __tablename__ = "recruitment_answers"
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("recruitment_candidates.id", ondelete="CASCADE"), primary_key=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("recruitment_criteria.id", ondelete="RESTRICT"), primary_key=True
    )
    answer: Mapped[bool] = mapped_column(Boolean)


class ConsentRow(Base):
    """A consent record [0010]: the date, the information-sheet and consent-form versions and
    where the signed form is kept (a reference, never the form)."""

    __tablename__ = "recruitment_consents"
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("recruitment_candidates.id", ondelete="CASCADE"), primary_key=True
    )
    consented_on: Mapped[dt.date] = mapped_column(Date)
    sheet_version: Mapped[str] = mapped_column(String(64))
    form_version: Mapped[str] = mapped_column(String(64))
    form_location: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class WithdrawalRow(Base):
    """A participant who withdrew [0011]: their data has left the study; the label stays here so
    it is never given to anyone else. No text of theirs, only who recorded it, when and why
    (a reason category)."""

    __tablename__ = "withdrawals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(200), unique=True)
    withdrawn_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(32))


class RecordingRow(Base):
    """The recording linked to a transcript [0014]. The media file stays outside the database,
    named by its SHA-256 in the study's media folder; the original file name is kept for the
    members who see originals (it may hold a real name)."""

    __tablename__ = "recordings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), unique=True
    )
    sha256: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(16))
    duration_ms: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    original_name: Mapped[str] = mapped_column(String(500))
    attached_by: Mapped[str] = mapped_column(String(200))
    attached_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


# --- Corrections of transcripts while listening (revision 0015). ---


class CorrectionRow(Base):
    """One correction of a transcript's turn [0015]: a text edit, a speaker fix, a split or a
    merge; who, when, which turn (``position`` as stored, 0 for the first) and the turn before
    and after. When the transcript's anonymisation has started, ``before``/``after`` are None
    and ``in_key`` is true: they are in the key file, so the study never regains an original."""

    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    in_key: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    __table_args__ = (
        CheckConstraint("kind IN ('text', 'speaker', 'split', 'merge')", name="known_kind"),
    )


class CodingFlagRow(Base):
    """A coding whose own words a correction changed [0015]: kept and adjusted, and flagged
    for its coder to look at; clearing the flag deletes the row."""

    __tablename__ = "coding_flags"
    coding_id: Mapped[int] = mapped_column(
        ForeignKey("codings.id", ondelete="CASCADE"), primary_key=True
    )
    correction_id: Mapped[int | None] = mapped_column(
        ForeignKey("corrections.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(String(200))
    flagged_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
