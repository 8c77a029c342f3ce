"""What a project from another tool seems to hold that Thematica's import options can map.

Pure: an :class:`XProject` in, hints out. ``qdpx import`` without options prints them, naming
the option (and the command that does the same after import):

* a user whose codings look like an agreed layer: named like one (Consensus, Agreed, Final,
  Master, Merged, Reconciled), or, with three or more coders, the one user nearly all of whose
  codings (at least 90 %) overlap another user's coding of the same code in the same source,
  while every other user's overlap less;
* a Date variable (or a Text variable named like a date whose values are all dates);
* parent codes that are never coded directly, from the top of the tree down.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from thematica.domain import AttributeType
from thematica.exchange.model import XCoding, XProject

AGREED_NAMES = re.compile(
    r"\b(consensus|agreed|agreement|final|master|merged|reconciled)\b", re.IGNORECASE
)
OVERLAP_SHARE = 0.9


def looks_agreed(name: str) -> bool:
    return AGREED_NAMES.search(name) is not None


@dataclass(frozen=True)
class ImportHints:
    agreed_users: tuple[str, ...] = ()
    date_variables: tuple[str, ...] = ()
    theme_parents: tuple[str, ...] = ()  # names of the uncoded parent codes at the top

    def lines(self, study: str) -> list[str]:
        out = []
        for user in self.agreed_users:
            out.append(
                f"Hint: {user!r} looks like an agreed layer: import with --agreed-by {_arg(user)} "
                f"(or run: thematica codings promote {_arg(study)} --coder {_arg(user)})"
            )
        for name in self.date_variables:
            out.append(
                f"Hint: the variable {name!r} holds dates: import with --interview-date "
                f"{_arg(name)} (or run: thematica transcripts set-dates {_arg(study)} --from "
                f"{_arg(name)})"
            )
        if self.theme_parents:
            shown = ", ".join(repr(n) for n in self.theme_parents[:3])
            more = ", ..." if len(self.theme_parents) > 3 else ""
            out.append(
                f"Hint: {len(self.theme_parents)} parent codes are never coded directly "
                f"({shown}{more}): import with --themes-from-tree to make them the theme "
                f"framework (or run: thematica themes from-tree {_arg(study)})"
            )
        return out


def _arg(text: str) -> str:
    return text if re.fullmatch(r"[\w./:@-]+", text) else '"' + text.replace('"', '\\"') + '"'


def _overlap_shares(project: XProject) -> dict[str, float]:
    """User guid -> the share of their codings that overlap another user's coding of the same
    code in the same source."""
    shares: dict[str, float] = {}
    totals: dict[str, int] = defaultdict(int)
    overlapping: dict[str, int] = defaultdict(int)
    for source in project.sources:
        by_code: dict[str, list[XCoding]] = defaultdict(list)
        for c in source.codings:
            by_code[c.code].append(c)
        for codings in by_code.values():
            for c in codings:
                if c.user is None:
                    continue
                totals[c.user] += 1
                if any(o.user != c.user and o.start < c.end and c.start < o.end for o in codings):
                    overlapping[c.user] += 1
    for user, total in totals.items():
        shares[user] = overlapping[user] / total
    return shares


def agreed_users(project: XProject) -> tuple[str, ...]:
    names = {u.guid: u.name for u in project.users}
    coders = {c.user for s in project.sources for c in s.codings if c.user in names}
    found = [names[g] for g in sorted(coders, key=list(names).index) if looks_agreed(names[g])]
    if not found and len(coders) >= 3:
        shares = sorted(
            ((u, share) for u, share in _overlap_shares(project).items() if u in names),
            key=lambda kv: -kv[1],
        )
        if shares[0][1] >= OVERLAP_SHARE and shares[0][1] > shares[1][1]:
            found.append(names[shares[0][0]])
    return tuple(found)


def _is_date(value: object) -> bool:
    if isinstance(value, dt.date):
        return True
    if not isinstance(value, str):
        return False
    try:
        dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return False
    return True


def date_variables(project: XProject) -> tuple[str, ...]:
    out = []
    for variable in project.variables:
        values = [c.values[variable.name] for c in project.cases if variable.name in c.values]
        if variable.type is AttributeType.DATE or (
            variable.type is AttributeType.TEXT
            and "date" in variable.name.casefold()
            and values
            and all(_is_date(v) for v in values)
        ):
            out.append(variable.name)
    return tuple(out)


def theme_parents(project: XProject) -> tuple[str, ...]:
    coded = {c.code for s in project.sources for c in s.codings}
    children: dict[str | None, list[str]] = defaultdict(list)
    for code in project.codes:
        if not code.theme:
            children[code.parent].append(code.guid)
    names = {c.guid: c.name for c in project.codes}
    out: list[str] = []
    frontier = list(reversed(children[None]))
    while frontier:
        guid = frontier.pop()
        if children.get(guid) and guid not in coded:
            out.append(names[guid])
            frontier.extend(reversed(children[guid]))
    return tuple(out)


def hints(project: XProject) -> ImportHints:
    return ImportHints(agreed_users(project), date_variables(project), theme_parents(project))


def code_links(project: XProject) -> tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...]:
    """The project's links between codes, as (code path, code path, label)."""
    by_guid = {c.guid: c for c in project.codes}

    def path(guid: str) -> tuple[str, ...]:
        chain: list[str] = []
        current: str | None = guid
        while current in by_guid and len(chain) <= len(by_guid):
            chain.append(by_guid[current].name)
            current = by_guid[current].parent
        return tuple(reversed(chain))

    return tuple(
        (path(link.origin), path(link.target), link.name)
        for link in project.links
        if link.origin in by_guid and link.target in by_guid
    )
