"""The COREQ 32-item checklist (Tong, Sainsbury & Craig 2007) and the SRQR 21 items (O'Brien et
al. 2014), each filled from the study where its data allow, otherwise "to complete".
Item names and numbers follow the published checklists; see
docs/methods.md#coreq-and-srqr-checklists."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable

from thematica.domain import CheckingState
from thematica.report import recruitment_text
from thematica.report.characteristics import attribute_label, groups_of
from thematica.report.checklist_items import COREQ, DOMAINS, SRQR
from thematica.report.data import ReportData
from thematica.report.framework import theme_counts
from thematica.report.model import Row, Table
from thematica.report.saturation_figure import LEVELS, verdict

TO_COMPLETE = "to complete"
APPROACHES = {
    "reflexive": "Reflexive thematic analysis (Braun & Clarke)",
    "codebook": "Codebook thematic analysis",
    "coding-reliability": "Coding-reliability thematic analysis",
}


def todo(hint: str = "") -> str:
    """ "to complete", with a hint from the study where there is one."""
    return f"{TO_COMPLETE} ({hint})" if hint else TO_COMPLETE


def names(items: list[str]) -> str:
    return (
        items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}" if items else ""
    )


def plural(n: int, word: str, words: str = "") -> str:
    return f"{n} {word if n == 1 else words or word + 's'}"


# -- facts shared by both checklists ---------------------------------------------------------


def interviewers(data: ReportData) -> str:
    """Team members who conducted interviews: "Rachel Ames (lead; 5 interviews) and ..."."""
    counts = Counter(t.interviewer for t in data.transcripts if t.interviewer)
    roles = {m.name: m.role.value for m in data.team}
    return names(
        [
            f"{name} ({roles[name]}; {plural(n, 'interview')})"
            for name, n in counts.most_common()
            if name in roles
        ]
    )


def checked(data: ReportData) -> str:
    """How many transcripts were checked against the recording, and by how many people:
    "10 of 10 transcripts checked against the recording by 2 researchers"; "" when none was."""
    done = [t for t in data.transcripts if t.checking is CheckingState.CHECKED]
    if not done:
        return ""
    checkers = {t.checked_by for t in done if t.checked_by}
    return (
        f"{len(done)} of {plural(len(data.transcripts), 'transcript')} checked against the "
        f"recording by {plural(len(checkers), 'researcher')}"
    )


def recording(data: ReportData, timed: int) -> str:
    """COREQ 19: the recording, and the transcripts checked against it."""
    timings = f"{timed} of {len(data.transcripts)} transcripts carry recording timings"
    if checked(data):
        return f"Yes: {checked(data)}"
    none = "no transcript has been checked against the recording"
    return todo(f"{timings}; {none}" if timed else none)


def interviewer_item(data: ReportData) -> str:
    """COREQ 1: the team's interviewers, and any other interviewer the transcripts name."""
    team = interviewers(data)
    others = sorted(
        {t.interviewer for t in data.transcripts if t.interviewer} - {m.name for m in data.team}
    )
    if not team:
        return todo(f"the transcripts name: {', '.join(others)}" if others else "")
    return team + (f"; also named in the transcripts: {', '.join(others)}" if others else "")


def sample(data: ReportData) -> str:
    n = len(data.participants)
    groups = groups_of(data.participants)
    split = ", ".join(
        f"{g} {sum(1 for p in data.participants if (p.group or g) == g)}" for g in groups
    )
    return f"{plural(n, 'participant')}" + (f" ({split})" if len(groups) > 1 else "")


def duration(data: ReportData) -> str:
    minutes = [t.duration_ms / 60000 for t in data.transcripts if t.duration_ms]
    if not minutes:
        return ""
    text = f"mean {statistics.fmean(minutes):.1f} minutes (range {min(minutes):.1f}–{max(minutes):.1f})"
    if len(minutes) < len(data.transcripts):
        text += f", from the {len(minutes)} of {len(data.transcripts)} transcripts with timings"
    return text


def dates(data: ReportData) -> str:
    known = sorted(t.interview_date for t in data.transcripts if t.interview_date)
    return f"{known[0].isoformat()} to {known[-1].isoformat()}" if known else ""


def saturation(data: ReportData) -> str:
    report = data.saturation
    text = f"Code saturation ({LEVELS[int(report.level)]} codes): {verdict(report)}"
    if not report.guest.reached and report.guest.reason:
        text += f": {report.guest.reason}"
    francis = report.francis
    text += "; Francis et al. (2010): " + (
        f"reached at interview {francis.interview}" if francis.reached else "not reached"
    )
    text += " (Figure 2, Table 3)"
    if data.approach == "reflexive":
        text += (
            "; note that reflexive TA questions saturation as a stopping rule (Braun & Clarke 2021)"
        )
    return text


def solo(data: ReportData) -> bool:
    """The study is analysed on its level-one codes, with no agreed layer."""
    return data.level == 1


def coders(data: ReportData) -> str:
    one, two = data.coders_at(1), data.coders_at(2)
    if solo(data):
        how = "reflexive approach" if data.approach == "reflexive" else "no agreed layer"
        who = f"{names(list(one))} coded" if len(one) > 1 else f"coded by {names(list(one))}"
        return f"{plural(len(one), 'coder')}; {how} ({who} at level one)"
    parts = []
    if one:
        parts.append(f"{names(list(one))} coded independently at level one")
    if two:
        parts.append(f"agreed level-two codings recorded by {names(list(two))}")
    return f"{len(data.coders)} ({'; '.join(parts)})" if parts else ""


def framework_size(data: ReportData) -> str:
    depth = Counter(min(n.depth, 3) for n in data.nodes)
    return (
        f"{plural(depth[1], 'overarching theme')}, {plural(depth[2], 'theme')} and "
        f"{plural(depth[3], 'sub-theme')}, "
        f"with {plural(len(data.links), 'named interlink')}"
    )


def codes(data: ReportData, level: int) -> str:
    leaves, groups = data.codes_at(level)
    word = f"{LEVELS[level]} code"
    return plural(leaves, word) + (
        f" in {plural(groups, 'category', 'categories')}" if groups else ""
    )


def coding_tree(data: ReportData) -> str:
    if solo(data):
        return f"{codes(data, 1)}; theme framework of {framework_size(data)} (Table 2, Figure 1)"
    return (
        f"{codes(data, 1)} and {codes(data, 2)}; "
        f"theme framework of {framework_size(data)} (Table 2, Figure 1)"
    )


def derivation(data: ReportData) -> str:
    approach = APPROACHES.get(data.approach, data.approach)
    if solo(data):
        return (
            f"{approach}: level-one codes developed into the theme framework, with no agreed "
            f"second layer (changes logged in the study's lineage); "
            f"{TO_COMPLETE}: whether themes were identified in advance or derived from the data"
        )
    return (
        f"{approach}: level-one codes reconciled into agreed level-two codes, developed into "
        f"the theme framework (changes logged in the study's lineage); "
        f"{TO_COMPLETE}: whether themes were identified in advance or derived from the data"
    )


def divergent_cases(data: ReportData) -> str:
    cases = [
        f"{c.path[-1]}: {', '.join(c.divergent)}"
        for c in data.counts.themes
        if c.divergent and any(n.path == c.path and n.divergent for n in data.nodes)
    ]
    minor = [c.path[-1] for c in data.counts.themes if c.depth >= 3 and c.rolled_up <= 2]
    parts = [f"{plural(sum(1 for n in data.nodes if n.depth >= 3), 'sub-theme')} (Table 2)"]
    if cases:
        parts.append("divergent cases: " + "; ".join(cases))
    if minor:
        parts.append("minor sub-themes (1–2 participants): " + ", ".join(minor))
    return "; ".join(parts)


def agreement(data: ReportData) -> str:
    a = data.agreement
    if a is None:
        return ""
    kappa = a.pooled_participants.coefficients.cohen_kappa
    chars = a.pooled_characters.pooled_kappa
    shown = [
        f"{label} {value:.2f}"
        for label, value in (
            ("participant-level Cohen's κ", kappa),
            ("pooled character-level κ", chars),
        )
        if value is not None
    ]
    return f"double coding at level one by {a.coder_a} and {a.coder_b}" + (
        f" ({', '.join(shown)})" if shown else ""
    )


# -- the checklists --------------------------------------------------------------------------


def coreq_answers(data: ReportData) -> dict[int, str]:
    """Item number -> what the study says (or "to complete ...")."""
    n = len(data.participants)
    per_person = Counter(t.participant for t in data.transcripts if t.participant)
    repeats = {k: v for k, v in per_person.items() if v > 1}
    formats = Counter(t.source_format for t in data.transcripts)
    timed = sum(1 for t in data.transcripts if t.duration_ms)
    not_interviewed = data.registered - n
    counts = theme_counts(data)
    major = [c for c in counts.values() if c.depth <= 2]
    answers: dict[int, str] = {
        1: interviewer_item(data),
        9: f"{APPROACHES.get(data.approach, data.approach)}; {TO_COMPLETE}: theoretical framework",
        12: sample(data),
        13: todo(
            f"{not_interviewed} of the {data.registered} registered participants not interviewed"
            if not_interviewed
            else f"all {data.registered} registered participants were interviewed"
        ),
        14: todo("transcript formats: " + ", ".join(f"{f} ({k})" for f, k in formats.items())),
        15: todo(
            f"{plural(data.third_party_transcripts, 'transcript')} with a third speaker"
            if data.third_party_transcripts
            else "no transcript has a speaker other than interviewer and participant"
        ),
        16: (
            "Table 1"
            + (
                f" ({', '.join(attribute_label(a.name) for a in data.attributes)})"
                if data.attributes
                else ""
            )
            + (f"; interviews from {dates(data)}" if dates(data) else "")
        ),
        17: (
            f"Yes: {plural(data.guide_questions, 'question')} with {plural(data.guide_prompts, 'prompt')}; "
            f"{TO_COMPLETE}: pilot testing"
            if data.guide_questions
            else todo()
        ),
        18: (
            f"Yes: {plural(len(repeats), 'participant')} interviewed more than once"
            if repeats
            else f"No: one interview per participant ({plural(len(data.transcripts), 'transcript')})"
        ),
        19: recording(data, timed),
        21: duration(data) or todo(),
        22: saturation(data),
        23: todo(),
        24: coders(data) or todo(),
        25: coding_tree(data),
        26: derivation(data),
        27: data.software,
        29: "Yes: each quotation is identified by the participant's label (e.g. “Physio 4”)"
        if data.participants
        else todo(),
        30: todo(
            f"every theme is linked to its {plural(len(data.segments), 'coded segment')} in the quote bank"
        ),
        31: f"{sum(1 for c in major if c.depth == 1)} overarching themes and "
        f"{sum(1 for c in major if c.depth == 2)} themes, with n/N (Table 2, Figure 1)",
        32: divergent_cases(data),
    }
    answers.update(recruitment_text.coreq(data, sample(data)))  # items 10-14 from the log
    if data.recruitment and data.recruitment.plan.decision:
        answers[22] += "; " + recruitment_text.stop_sentence(data.recruitment)
    return answers


def coreq_table(data: ReportData) -> Table:
    answers = coreq_answers(data)
    rows: list[Row] = []
    group = ""
    for number, subgroup, item, question in COREQ:
        if number in DOMAINS:
            rows.append(Row(("", DOMAINS[number], "", ""), bold=True))
        if subgroup != group:
            rows.append(Row(("", subgroup, "", ""), indent=1))
            group = subgroup
        rows.append(Row((str(number), item, question, answers.get(number, todo()))))
    return Table(
        key="coreq",
        title="COREQ: consolidated criteria for reporting qualitative research (32 items)",
        columns=("No.", "Item", "Guide question", "Reported (from the study)"),
        rows=tuple(rows),
        notes=(
            "Tong, Sainsbury & Craig (2007), Int J Qual Health Care 19(6):349–357. Filled from the "
            "study where it holds the data; “to complete” items need the authors. Add the page "
            "numbers where each item is reported.",
        ),
        sheet="COREQ",
    )


def srqr_answers(data: ReportData) -> dict[str, str]:
    approach = APPROACHES.get(data.approach, data.approach)
    trust = "; ".join(
        part
        for part in (
            agreement(data),
            "" if solo(data) else "reconciliation into agreed level-two codes",
            "audit trail of codebook changes (lineage)",
            "divergent cases sought and reported",
        )
        if part
    )
    facts: dict[str, Callable[[], str]] = {
        "S1": lambda: todo(f"study title: “{data.title}”"),
        "S4": lambda: data.research_question or todo(),
        "S5": lambda: f"{approach}; {TO_COMPLETE}: research paradigm and rationale",
        "S6": lambda: (
            todo("team: " + ", ".join(f"{m.name} ({m.role.value})" for m in data.team))
            if data.team
            else todo()
        ),
        "S8": lambda: f"{saturation(data)}; {TO_COMPLETE}: sampling strategy",
        **(
            {"S9": lambda: recruitment_text.consent_statement(data.recruitment) or todo()}
            if data.recruitment
            else {}
        ),
        "S10": lambda: (
            f"{plural(len(data.transcripts), 'interview')}"
            + (f" by {interviewers(data)}" if interviewers(data) else "")
            + (f", {dates(data)}" if dates(data) else "")
            + (f"; duration {duration(data)}" if duration(data) else "")
        ),
        "S11": lambda: (
            (
                f"interview guide of {plural(data.guide_questions, 'question')}; "
                if data.guide_questions
                else ""
            )
            + f"{TO_COMPLETE}: recording and its changes over time"
        ),
        "S12": lambda: f"{sample(data)} (Table 1)",
        "S13": lambda: (
            f"transcripts managed in {data.software}"
            + (f"; {checked(data)}" if checked(data) else "")
            + f"; {TO_COMPLETE}: transcription and anonymisation"
        ),
        "S14": lambda: (
            f"{coders(data)}; {coding_tree(data)}" if coders(data) else coding_tree(data)
        ),
        "S15": lambda: trust,
        "S16": lambda: f"theme framework of {framework_size(data)} (Table 2, Figure 1)",
        "S17": lambda: (
            f"quotations identified by participant label; quote bank of {plural(len(data.segments), 'coded segment')}"
        ),
    }
    return {number: facts[number]() if number in facts else todo() for number, _, _ in SRQR}


def srqr_table(data: ReportData) -> Table:
    answers = srqr_answers(data)
    rows = [Row((number, section, item, answers[number])) for number, section, item in SRQR]
    return Table(
        key="srqr",
        title="SRQR: standards for reporting qualitative research (21 items)",
        columns=("No.", "Section", "Item", "Reported (from the study)"),
        rows=tuple(rows),
        notes=("O'Brien, Harris, Beckman, Reed & Cook (2014), Acad Med 89(9):1245–1251.",),
        sheet="SRQR",
    )
