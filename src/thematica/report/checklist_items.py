"""The items of the COREQ and SRQR checklists, numbered and named as in the published checklists
(docs/methods.md#coreq-and-srqr-checklists).

COREQ: Tong, Sainsbury & Craig (2007), Int J Qual Health Care 19(6):349-357 (32 items in three
domains). SRQR: O'Brien, Harris, Beckman, Reed & Cook (2014), Acad Med 89(9):1245-1251 (21 items).
"""

from __future__ import annotations

# (number, domain and group, item, guide question)
COREQ: tuple[tuple[int, str, str, str], ...] = (
    (
        1,
        "Personal characteristics",
        "Interviewer/facilitator",
        "Which author(s) conducted the interviews?",
    ),
    (
        2,
        "Personal characteristics",
        "Credentials",
        "What were the researcher's credentials? (e.g. PhD, MD)",
    ),
    (
        3,
        "Personal characteristics",
        "Occupation",
        "What was their occupation at the time of the study?",
    ),
    (4, "Personal characteristics", "Gender", "Was the researcher male or female?"),
    (
        5,
        "Personal characteristics",
        "Experience and training",
        "What experience or training did the researcher have?",
    ),
    (
        6,
        "Relationship with participants",
        "Relationship established",
        "Was a relationship established prior to study commencement?",
    ),
    (
        7,
        "Relationship with participants",
        "Participant knowledge of the interviewer",
        "What did the participants know about the researcher? (personal goals, reasons for doing the research)",
    ),
    (
        8,
        "Relationship with participants",
        "Interviewer characteristics",
        "What characteristics were reported about the interviewer? (bias, assumptions, interests)",
    ),
    (
        9,
        "Theoretical framework",
        "Methodological orientation and theory",
        "What methodological orientation was stated to underpin the study?",
    ),
    (
        10,
        "Participant selection",
        "Sampling",
        "How were participants selected? (purposive, convenience, snowball…)",
    ),
    (
        11,
        "Participant selection",
        "Method of approach",
        "How were participants approached? (face-to-face, telephone, mail, email)",
    ),
    (12, "Participant selection", "Sample size", "How many participants were in the study?"),
    (
        13,
        "Participant selection",
        "Non-participation",
        "How many people refused to participate or dropped out? Reasons?",
    ),
    (
        14,
        "Setting",
        "Setting of data collection",
        "Where was the data collected? (home, clinic, workplace)",
    ),
    (
        15,
        "Setting",
        "Presence of non-participants",
        "Was anyone else present besides the participants and researchers?",
    ),
    (
        16,
        "Setting",
        "Description of sample",
        "What are the important characteristics of the sample? (demographics, date)",
    ),
    (
        17,
        "Data collection",
        "Interview guide",
        "Were questions, prompts and guides provided by the authors? Was it pilot tested?",
    ),
    (
        18,
        "Data collection",
        "Repeat interviews",
        "Were repeat interviews carried out? If yes, how many?",
    ),
    (
        19,
        "Data collection",
        "Audio/visual recording",
        "Did the research use audio or visual recording to collect the data?",
    ),
    (
        20,
        "Data collection",
        "Field notes",
        "Were field notes made during and/or after the interview?",
    ),
    (21, "Data collection", "Duration", "What was the duration of the interviews?"),
    (22, "Data collection", "Data saturation", "Was data saturation discussed?"),
    (
        23,
        "Data collection",
        "Transcripts returned",
        "Were transcripts returned to participants for comment and/or correction?",
    ),
    (24, "Data analysis", "Number of data coders", "How many data coders coded the data?"),
    (
        25,
        "Data analysis",
        "Description of the coding tree",
        "Did the authors provide a description of the coding tree?",
    ),
    (
        26,
        "Data analysis",
        "Derivation of themes",
        "Were themes identified in advance or derived from the data?",
    ),
    (27, "Data analysis", "Software", "What software, if applicable, was used to manage the data?"),
    (
        28,
        "Data analysis",
        "Participant checking",
        "Did participants provide feedback on the findings?",
    ),
    (
        29,
        "Reporting",
        "Quotations presented",
        "Were participant quotations presented to illustrate the themes? Was each quotation identified?",
    ),
    (
        30,
        "Reporting",
        "Data and findings consistent",
        "Was there consistency between the data presented and the findings?",
    ),
    (
        31,
        "Reporting",
        "Clarity of major themes",
        "Were major themes clearly presented in the findings?",
    ),
    (
        32,
        "Reporting",
        "Clarity of minor themes",
        "Is there a description of diverse cases or discussion of minor themes?",
    ),
)
DOMAINS = {
    1: "Domain 1: Research team and reflexivity",
    9: "Domain 2: Study design",
    24: "Domain 3: Analysis and findings",
}

# (number, section, item)
SRQR: tuple[tuple[str, str, str], ...] = (
    ("S1", "Title & abstract", "Title"),
    ("S2", "Title & abstract", "Abstract"),
    ("S3", "Introduction", "Problem formulation"),
    ("S4", "Introduction", "Purpose or research question"),
    ("S5", "Methods", "Qualitative approach and research paradigm"),
    ("S6", "Methods", "Researcher characteristics and reflexivity"),
    ("S7", "Methods", "Context"),
    ("S8", "Methods", "Sampling strategy"),
    ("S9", "Methods", "Ethical issues pertaining to human subjects"),
    ("S10", "Methods", "Data collection methods"),
    ("S11", "Methods", "Data collection instruments and technologies"),
    ("S12", "Methods", "Units of study"),
    ("S13", "Methods", "Data processing"),
    ("S14", "Methods", "Data analysis"),
    ("S15", "Methods", "Techniques to enhance trustworthiness"),
    ("S16", "Results", "Synthesis and interpretation"),
    ("S17", "Results", "Links to empirical data"),
    (
        "S18",
        "Discussion",
        "Integration with prior work, implications, transferability, contribution",
    ),
    ("S19", "Discussion", "Limitations"),
    ("S20", "Other", "Conflicts of interest"),
    ("S21", "Other", "Funding"),
)
