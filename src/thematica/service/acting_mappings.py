"""The import mappings a bound team member may apply (part of
:class:`~thematica.service.acting.MemberStudy`): each reshapes the whole study (its agreed layer,
theme framework, groups or dates), so each is a lead's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from thematica.domain import CodePath
from thematica.service.acting_rules import Rules

if TYPE_CHECKING:
    from thematica.service.mappings import MappingOptions, MappingResult


class MappingChanges(Rules):
    def mapping_options(self) -> MappingOptions:
        self.require_lead("map an imported study")
        return self._service.mapping_options()

    def promote_coder(self, coder: str) -> MappingResult:
        self.require_lead("make a coder's codings the agreed layer")
        return self._service.promote_coder(coder, by=self.name)

    def themes_from_tree(
        self, links: Sequence[tuple[CodePath, CodePath, str]] = ()
    ) -> MappingResult:
        self.require_lead("make the code tree the theme framework")
        return self._service.themes_from_tree(by=self.name, links=links)

    def set_group_from(self, attribute: str) -> MappingResult:
        self.require_lead("set the participants' groups")
        return self._service.set_group_from(attribute, by=self.name)

    def set_dates_from(self, attribute: str) -> MappingResult:
        self.require_lead("set the interview dates")
        return self._service.set_dates_from(attribute, by=self.name)
