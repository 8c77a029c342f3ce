"""The interview guide from Markdown, plain text or .docx.

Numbered lines (``1.``, ``2)``, ``Q3:``) are questions; bulleted or lettered lines beneath a
question (``-``, ``*``, ``•``, ``a)``) are its prompts; a plain line after a question or prompt
continues it (wrapped text). Headings and text before the first question are ignored.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from thematica.domain import GuideQuestion
from thematica.errors import InputError
from thematica.importers.docx import paragraphs
from thematica.importers.encoding import decode_text
from thematica.importers.guard import guarded

_QUESTION = re.compile(r"^\s*(?:Q(?:uestion)?\s*)?\d{1,2}\s*[.):]\s+(?P<text>\S.*)$", re.IGNORECASE)
_PROMPT = re.compile(r"^\s*(?:[-*\u2022\u2013]|[a-z][.)]|\(?[ivx]+\))\s+(?P<text>\S.*)$")
_HEADING = re.compile(r"^\s*#{1,6}\s")
_PROMPT_LABEL = re.compile(r"^prompts?\s*:\s*", re.IGNORECASE)


def parse_guide(lines: list[str], source: str) -> tuple[GuideQuestion, ...]:
    # [question, prompt, prompt, ...], each as the lines it was wrapped over
    questions: list[list[list[str]]] = []
    last_was_blank = False
    for line in lines:
        if not line.strip() or _HEADING.match(line):
            last_was_blank = True
            continue
        question = _QUESTION.match(line)
        prompt = _PROMPT.match(line)
        if question:
            questions.append([[question.group("text").strip()]])
        elif prompt and questions:
            questions[-1].append([_PROMPT_LABEL.sub("", prompt.group("text").strip())])
        elif questions and not last_was_blank:
            questions[-1][-1].append(line.strip())
        last_was_blank = False
    if not questions:
        raise InputError(
            source,
            "no numbered questions found (write each question as '1. ...', prompts as '- ...')",
        )
    joined = [[" ".join(part) for part in q] for q in questions]
    return tuple(GuideQuestion(q[0], tuple(q[1:])) for q in joined)


@guarded
def read_guide(data: bytes, source: str) -> tuple[GuideQuestion, ...]:
    suffix = PurePath(source).suffix.lower()
    if suffix == ".docx":
        lines = [line for p in paragraphs(data, source) for line in p.split("\n")]
    elif suffix in (".md", ".markdown", ".txt"):
        lines = decode_text(data, source).split("\n")
    else:
        raise InputError(source, f"unsupported guide file type {suffix!r}; use .md, .txt or .docx")
    return parse_guide(lines, source)
