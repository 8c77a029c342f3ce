"""Editing the theme framework: nodes, moves (with cycles refused and keyboard shifts), removal
of empty nodes only, code assignments with stance, interlinks, stale edits, the lineage log,
and a node's quotes."""

from __future__ import annotations

import pytest

from tests.conftest import snapshot
from tests.service.test_analysis import build, code_spans, codes
from thematica.domain import Level, MemberRole, Stance
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.service import StudyService

LEAD, CODER, READER = "Rachel Ames", "Tom Okafor", "Helen Marsh"


def shape(study: StudyService) -> list[tuple[str, ...]]:
    """The framework's paths in tree order."""
    return [n.path for n in study.framework()[0]]


def node(study: StudyService, *path: str) -> int:
    return next(n.id for n in study.framework()[0] if n.path == path)


def version(study: StudyService, node_id: int) -> str:
    return next(n.version for n in study.framework()[0] if n.id == node_id)


@pytest.fixture
def team(study: StudyService) -> StudyService:
    build(study, ["I get pain in my back and then my mood drops.", "Time is short, so short."])
    study.add_team_member(READER, MemberRole.READER)
    return study


def test_building_a_three_level_framework_with_an_interlink(team: StudyService) -> None:
    study = team
    top = study.add_theme("  Two   problems ", by=LEAD, description="Pain and mood together")
    theme = study.add_theme("Round and round", by=CODER, parent=top)
    sub = study.add_theme("Winding each other up", by=LEAD, parent=theme)
    other = study.add_theme("Breaking in", by=LEAD, parent=top)
    assert shape(study) == [
        ("Two problems",),
        ("Two problems", "Round and round"),
        ("Two problems", "Round and round", "Winding each other up"),
        ("Two problems", "Breaking in"),
    ]
    link = study.link_themes(other, sub, "  breaks   into ", by=LEAD)
    nodes, links = study.framework()
    assert [(x.id, x.from_id, x.to_id, x.label) for x in links] == [
        (link, other, sub, "breaks into")
    ]
    assert nodes[0].description == "Pain and mood together" and nodes[2].depth == 3
    assert nodes[2].parent_id == theme and nodes[1].parent_id == top
    # the public themes() view agrees, and the activity shows every step
    themes, plain_links = study.themes()
    assert [t.path for t in themes] == shape(study)
    assert plain_links[0].label == "breaks into"
    log = [(e.actor, e.operation) for e in study.lineage()]
    assert log == [
        (LEAD, "theme-add"),
        (CODER, "theme-add"),
        (LEAD, "theme-add"),
        (LEAD, "theme-add"),
        (LEAD, "link-add"),
    ]
    assert study.lineage()[-1].summary.startswith("Linked 'Two problems > Breaking in'")
    assert not any(e.undoable for e in study.lineage())


def test_bad_names_and_unknown_nodes_change_nothing(team: StudyService) -> None:
    study = team
    top = study.add_theme("Top", by=LEAD)
    before = snapshot(study.location)
    with pytest.raises(ThematicaError, match="1 to 300 characters"):
        study.add_theme("   ", by=LEAD)
    with pytest.raises(ThematicaError, match="1 to 300 characters"):
        study.add_theme("x" * 301, by=LEAD)
    with pytest.raises(ConflictError, match="already a theme 'Top'"):
        study.add_theme("top", by=LEAD)
    with pytest.raises(NotFoundError, match="no theme node 999"):
        study.add_theme("Child", by=LEAD, parent=999)
    with pytest.raises(ThematicaError, match="at most 5,000"):
        study.describe_theme(top, "d" * 5001, by=LEAD)
    with pytest.raises(NotFoundError, match="no theme node 999"):
        study.rename_theme(999, "X", by=LEAD)
    with pytest.raises(NotFoundError, match="no team member 'Nobody'"):
        study.add_theme("Mine", by="Nobody")
    with pytest.raises(AccessDenied, match="reader"):
        study.add_theme("Mine", by=READER)
    assert snapshot(study.location) == before
    assert study.add_theme("x" * 300, by=LEAD)  # the limit itself is fine


def test_rename_describe_and_stale_edits(team: StudyService) -> None:
    study = team
    a = study.add_theme("A", by=LEAD)
    b = study.add_theme("B", by=LEAD)
    seen = version(study, a)
    study.rename_theme(a, "Alpha", by=LEAD, expected=seen)
    with pytest.raises(ConflictError, match="already a theme 'B'"):
        study.rename_theme(a, "b", by=LEAD)
    before = snapshot(study.location)
    # a second tab still holds the old version: its rename, move or removal is refused
    with pytest.raises(ConflictError, match="changed since you loaded it"):
        study.rename_theme(a, "Other tab", by=CODER, expected=seen)
    with pytest.raises(ConflictError, match="changed since you loaded it"):
        study.shift_theme(a, "down", by=CODER, expected=seen)
    with pytest.raises(ConflictError, match="changed since you loaded it"):
        study.remove_theme(a, by=CODER, expected=seen)
    assert snapshot(study.location) == before
    # a sibling's move shifts this node's place, so its version changes too
    b_seen = version(study, b)
    study.shift_theme(a, "down", by=LEAD, expected=version(study, a))
    with pytest.raises(ConflictError):
        study.shift_theme(b, "down", by=CODER, expected=b_seen)
    study.describe_theme(b, "  The other one ", by=CODER, expected=version(study, b))
    assert next(n for n in study.framework()[0] if n.id == b).description == "The other one"
    assert [e.operation for e in study.lineage()][-3:] == [
        "theme-rename",
        "theme-move",
        "theme-describe",
    ]


def test_moves_keep_positions_dense_and_refuse_cycles(team: StudyService) -> None:
    study = team
    a, b, c = (study.add_theme(n, by=LEAD) for n in "ABC")
    a1 = study.add_theme("A1", by=LEAD, parent=a)
    study.move_theme(c, None, position=0, by=LEAD)
    assert shape(study) == [("C",), ("A",), ("A", "A1"), ("B",)]
    study.move_theme(b, a, position=0, by=LEAD)
    assert shape(study) == [("C",), ("A",), ("A", "B"), ("A", "A1")]
    positions = {n.name: n.position for n in study.framework()[0]}
    assert positions == {"C": 0, "A": 1, "B": 0, "A1": 1}
    before = snapshot(study.location)
    with pytest.raises(ThematicaError, match="inside itself"):
        study.move_theme(a, a1, by=LEAD)
    with pytest.raises(ThematicaError, match="inside itself"):
        study.move_theme(a, a, by=LEAD)
    with pytest.raises(ThematicaError, match="position 5 is not between 0 and 1"):
        study.move_theme(c, None, position=5, by=LEAD)
    study.add_theme("C", by=LEAD, parent=a)
    with pytest.raises(ConflictError, match="already a theme 'A > C'"):
        study.move_theme(c, a, by=LEAD)
    with pytest.raises(NotFoundError):
        study.move_theme(c, 4242, by=LEAD)
    after_add = snapshot(study.location)
    assert after_add != before  # only the add above changed anything
    removed = node(study, "A", "C")
    study.remove_theme(removed, by=LEAD)
    assert shape(study) == [("C",), ("A",), ("A", "B"), ("A", "A1")]


def test_keyboard_shifts_up_down_indent_outdent(team: StudyService) -> None:
    study = team
    a, b, c = (study.add_theme(n, by=LEAD) for n in "ABC")
    study.shift_theme(c, "up", by=LEAD)
    assert shape(study) == [("A",), ("C",), ("B",)]
    study.shift_theme(c, "indent", by=LEAD)  # under A, the sibling above
    assert shape(study) == [("A",), ("A", "C"), ("B",)]
    study.shift_theme(b, "indent", by=LEAD)
    assert shape(study) == [("A",), ("A", "C"), ("A", "B")]
    study.shift_theme(b, "indent", by=LEAD)  # under C
    assert shape(study) == [("A",), ("A", "C"), ("A", "C", "B")]
    study.shift_theme(b, "outdent", by=LEAD)  # just after C
    assert shape(study) == [("A",), ("A", "C"), ("A", "B")]
    study.shift_theme(c, "outdent", by=LEAD)  # just after A
    assert shape(study) == [("A",), ("A", "B"), ("C",)]
    study.shift_theme(c, "up", by=LEAD)
    assert shape(study) == [("C",), ("A",), ("A", "B")]
    before = snapshot(study.location)
    with pytest.raises(ThematicaError, match="already first"):
        study.shift_theme(c, "up", by=LEAD)
    with pytest.raises(ThematicaError, match="already last"):
        study.shift_theme(a, "down", by=LEAD)
    with pytest.raises(ThematicaError, match="no theme above it"):
        study.shift_theme(c, "indent", by=LEAD)
    with pytest.raises(ThematicaError, match="already at the top level"):
        study.shift_theme(a, "outdent", by=LEAD)
    with pytest.raises(ThematicaError, match="unknown move 'sideways'"):
        study.shift_theme(a, "sideways", by=LEAD)
    assert snapshot(study.location) == before


def test_assigning_codes_with_stance_and_removing_only_empty_nodes(team: StudyService) -> None:
    study = team
    codes(study, "Pain > Back", "Time > Short", level=2)
    back, short = (
        c.id for c in study.codes(Level.TWO) if c.path in (("Pain", "Back"), ("Time", "Short"))
    )
    top = study.add_theme("Top", by=LEAD)
    child = study.add_theme("Child", by=LEAD, parent=top)
    other = study.add_theme("Other", by=LEAD)
    study.assign_code(child, back, by=CODER)
    study.assign_code(child, short, by=CODER, stance=Stance.DIVERGENT)
    assigned = next(n for n in study.framework()[0] if n.id == child).codes
    assert [(c.path, c.level, c.stance) for c in assigned] == [
        (("Pain", "Back"), Level.TWO, Stance.SUPPORTS),
        (("Time", "Short"), Level.TWO, Stance.DIVERGENT),
    ]
    themes = {t.id: t for t in study.themes()[0]}
    assert themes[child].divergent == (("Time", "Short"),)
    assert "as divergent for theme 'Top > Child'" in study.lineage()[-1].summary
    study.link_themes(other, child, "contrasts with", by=LEAD)
    before = snapshot(study.location)
    with pytest.raises(ConflictError, match="already supports"):
        study.assign_code(child, back, by=LEAD)
    with pytest.raises(NotFoundError, match="no code 999"):
        study.assign_code(child, 999, by=LEAD)
    with pytest.raises(NotFoundError, match="no theme node 999"):
        study.assign_code(999, back, by=LEAD)
    with pytest.raises(ConflictError, match="'Top' still has 1 sub-theme; move"):
        study.remove_theme(top, by=LEAD)
    with pytest.raises(ConflictError, match="2 codes, 1 interlink"):
        study.remove_theme(child, by=LEAD)
    with pytest.raises(ConflictError, match="already linked"):
        study.link_themes(other, child, "contrasts  with", by=LEAD)
    with pytest.raises(ThematicaError, match="two different themes"):
        study.link_themes(other, other, "self", by=LEAD)
    with pytest.raises(ThematicaError, match="1 to 300"):
        study.link_themes(other, top, " ", by=LEAD)
    with pytest.raises(NotFoundError, match="no interlink 999"):
        study.unlink_themes(999, by=LEAD)
    with pytest.raises(NotFoundError, match="is not assigned"):
        study.unassign_code(other, back, by=LEAD)
    with pytest.raises(AccessDenied):
        study.unassign_code(child, back, by=READER)
    assert snapshot(study.location) == before
    # a stance can change; then empty the node and remove it
    study.assign_code(child, short, by=LEAD, stance=Stance.SUPPORTS)
    study.unassign_code(child, back, by=LEAD)
    study.unassign_code(child, short, by=LEAD)
    study.unlink_themes(study.framework()[1][0].id, by=LEAD)
    study.remove_theme(child, by=LEAD)
    study.remove_theme(top, by=LEAD)
    assert shape(study) == [("Other",)]
    assert next(n for n in study.framework()[0]).position == 0
    assert [e.operation for e in study.lineage()][-6:] == [
        "theme-assign",
        "theme-unassign",
        "theme-unassign",
        "link-remove",
        "theme-remove",
        "theme-remove",
    ]


def test_a_nodes_quotes_cover_its_sub_themes_and_respect_blind_coding(
    team: StudyService,
) -> None:
    study = team
    codes(study, "Pain > Back", "Time", level=1)
    codes(study, "Pain > Back", "Time > Short", level=2)
    code_spans(
        study,
        [("P1", LEAD, "Pain > Back", 6, 10), ("P2", CODER, "Time > Short", 0, 13)],
        level=2,
    )
    code_spans(study, [("P1", CODER, "Time", 34, 38)], level=1)
    level_two = {c.path: c.id for c in study.codes(Level.TWO)}
    time_one = next(c.id for c in study.codes(Level.ONE) if c.path == ("Time",))
    top = study.add_theme("Top", by=LEAD)
    sub = study.add_theme("Sub", by=LEAD, parent=top)
    study.assign_code(top, level_two[("Pain",)], by=LEAD)  # its sub-code's codings count
    study.assign_code(sub, level_two[("Time", "Short")], by=LEAD, stance=Stance.DIVERGENT)
    study.assign_code(sub, time_one, by=LEAD)
    quotes = study.theme_quotes(top)
    got = [(q.coding.participant, q.coding.text, q.node, q.stance, q.coding.level) for q in quotes]
    assert got == [
        ("P1", "pain", ("Top",), Stance.SUPPORTS, Level.TWO),
        ("P1", "mood", ("Top", "Sub"), Stance.SUPPORTS, Level.ONE),
        ("P2", "Time is short", ("Top", "Sub"), Stance.DIVERGENT, Level.TWO),
    ]
    assert [q.coding.text for q in study.theme_quotes(sub)] == ["mood", "Time is short"]
    # blind coding: the lead does not see Tom's level-one coding; level two stays visible
    study.set_blind_coding(True, by=LEAD)
    assert [q.coding.text for q in study.theme_quotes(top, visible_to=LEAD)] == [
        "pain",
        "Time is short",
    ]
    assert len(study.theme_quotes(top, visible_to=CODER)) == 3
    assert study.theme_quotes(study.add_theme("Empty", by=LEAD)) == ()
    with pytest.raises(NotFoundError, match="no theme node 999"):
        study.theme_quotes(999)


def test_code_versions_catch_a_stale_view(team: StudyService) -> None:
    study = team
    codes(study, "Pain", level=1)
    pain = study.codes(Level.ONE)[0]
    from thematica.service.framework import code_version

    seen = code_version(pain)
    assert study.code_by_id(pain.id, expected=seen) == pain
    study.describe_code(("Pain",), by=LEAD, description="Hurts")
    with pytest.raises(ConflictError, match="'Pain' has changed since you loaded it"):
        study.code_by_id(pain.id, expected=seen)
    with pytest.raises(NotFoundError, match="no code 999"):
        study.code_by_id(999)
