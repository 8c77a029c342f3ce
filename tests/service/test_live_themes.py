"""Live team work on the theme framework page (issue 10, item 7), at the service: the fingerprint
the open page polls (``MemberStudy.live_themes_version``) moves when something the page shows
changes (a node, its codes, an interlink, a code's name on a chip, a level-two count), and a
blind coder's does not move while the other coder codes at level one (codings, or codes made
while coding), so neither the counts nor the timing tell them of it. On SQLite and PostgreSQL."""

from __future__ import annotations

from tests.service.test_analysis import A, B, codes
from tests.service.test_live import LIMITED, MOOD, PAIN, READER, team  # noqa: F401 (fixture)
from thematica.domain import Level
from thematica.service import CodingChange, StudyService


def version(study: StudyService, member: str) -> str:
    return study.as_member(member).live_themes_version()


def code_id(study: StudyService, path: tuple[str, ...], level: Level = Level.ONE) -> int:
    return next(c.id for c in study.codes(level, counted=False) if c.path == path)


def test_each_visible_change_changes_it(team: StudyService) -> None:  # noqa: F811
    seen = version(team, B)
    assert version(team, B) == seen  # stable while nothing changes
    assert len(seen) == 12
    node = team.add_theme("Living with pain", by=A)
    versions = [seen, version(team, B)]
    other = team.add_theme("Coping", by=A, parent=node)
    versions.append(version(team, B))
    team.rename_theme(other, "Coping day to day", by=A)
    versions.append(version(team, B))
    team.describe_theme(other, "How people get through a day.", by=A)
    versions.append(version(team, B))
    team.move_theme(other, None, by=A)
    versions.append(version(team, B))
    team.assign_code(node, code_id(team, PAIN), by=A)
    versions.append(version(team, B))
    link = team.link_themes(node, other, "leads to", by=A)
    versions.append(version(team, B))
    team.rename_code(PAIN, "Back pain", by=A)  # the chip shows the code's path
    versions.append(version(team, B))
    team.unlink_themes(link, by=A)
    versions.append(version(team, B))
    assert len(set(versions)) == len(versions), versions
    for member in (READER, LIMITED, A):  # everyone who may read the page is told
        before = version(team, member)
        team.describe_theme(other, "Changed again.", by=A)
        assert version(team, member) != before
        team.describe_theme(other, "How people get through a day.", by=A)


def test_level_two_counts_move_it_level_one_codings_do_not(
    team: StudyService,  # noqa: F811
) -> None:
    codes(team, "Agreed pain", level=2)
    agreed = code_id(team, ("Agreed pain",), Level.TWO)
    node = team.add_theme("Living with pain", by=A)
    team.assign_code(node, agreed, by=A)
    seen = version(team, B)
    theirs = team.add_coding("P2", MOOD, A, 0, 5)  # level one: not what the page counts
    team.change_coding(theirs, CodingChange(memo="x"), by=A)
    assert version(team, B) == seen
    counted = team.add_coding("P2", ("Agreed pain",), A, 0, 5, level=Level.TWO)
    assert version(team, B) != seen  # the theme's single count
    counts = {c.path: c.rolled_up for c in team.counts(level=Level.TWO).themes}
    assert counts[("Living with pain",)] == 1
    now = version(team, B)
    team.remove_coding(counted, by=A)
    assert version(team, B) != now


def test_a_blind_coder_learns_nothing_of_the_other_coders_level_one_work(
    team: StudyService,  # noqa: F811
) -> None:
    node = team.add_theme("Living with pain", by=A)
    team.set_blind_coding(True, by=A)
    mine, lead_sees = version(team, B), version(team, A)
    theirs = team.add_coding("P1", MOOD, A, 31, 35)
    assert version(team, B) == mine  # not its existence
    team.change_coding(theirs, CodingChange(start=32, memo="x"), by=A)
    team.add_coding("P1", ("Made while coding",), A, 0, 5, create_code=True)
    assert version(team, B) == mine  # not a code made while coding (it would tell when)
    team.remove_coding(theirs, by=A)
    own = team.add_coding("P1", ("Mine, while coding",), B, 0, 5, create_code=True)
    assert version(team, B) == mine  # nor, the same rule, their own new codes
    assert version(team, A) == lead_sees  # the lead codes blind too
    team.remove_coding(own, by=B)
    made = code_id(team, ("Made while coding",))
    team.assign_code(node, made, by=A)  # once on a theme, its chip shows it to all
    assigned = version(team, B)
    assert assigned != mine
    team.rename_code(("Made while coding",), "Renamed", by=A)
    assert version(team, B) != assigned
    team.set_blind_coding(False, by=A)
    open_again = version(team, B)
    team.add_coding("P1", ("Another new code",), A, 0, 5, create_code=True)
    assert version(team, B) != open_again  # the page's code lists show every code
