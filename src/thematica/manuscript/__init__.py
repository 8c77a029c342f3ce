"""Manuscript audit: every count claim and every participant quote in a draft, checked against
the study (``thematica audit STUDY DRAFT``).

Pure code, no I/O and no SQL: ``draft`` and its readers turn a file's bytes into paragraphs
and sentences; ``claims`` finds count statements ("seven of the ten participants", "all but
one", "n = 4", "(6/10)"); ``tying`` ties each claim to a theme node or code; ``checking``
compares it with the study's single counts and quantifier rules; ``quotes`` finds quoted
passages and their attribution, ``matching`` looks for them in the transcripts; ``audit`` runs
it all over a :class:`~thematica.manuscript.facts.StudyFacts` (which ``service/manuscript.py``
gathers); ``writers`` and ``annotate`` present the result. The audit never changes the study.
"""
