"""The study service's import mappings (part of :class:`StudyService`): the agreed layer, themes
from the code tree, groups and interview dates from participant attributes
(``service/mappings.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from thematica.domain import CodePath
from thematica.lazy import lazy_module
from thematica.service.sessions import Sessions

if TYPE_CHECKING:
    from thematica.service import mappings
else:  # loaded at first use
    mappings = lazy_module("thematica.service.mappings")


class MappingMethods(Sessions):
    def promote_coder(self, coder: str, *, by: str) -> mappings.MappingResult:
        """``coder``'s level-one codings become the agreed (level-two) layer."""
        with self._transaction() as session:
            return mappings.promote_coder(session, coder, by)

    def themes_from_tree(
        self, *, by: str, links: Sequence[tuple[CodePath, CodePath, str]] = ()
    ) -> mappings.MappingResult:
        """Uncoded parent codes become the theme framework; ``links`` between codes (by path,
        from the file the study came from) between them become interlinks."""
        with self._transaction() as session:
            return mappings.themes_from_tree(session, by, path_links=links)

    def set_group_from(self, attribute: str, *, by: str) -> mappings.MappingResult:
        """Each participant's group becomes their value of ``attribute``."""
        with self._transaction() as session:
            return mappings.set_group(session, attribute, by)

    def set_dates_from(self, attribute: str, *, by: str) -> mappings.MappingResult:
        """Each transcript's interview date becomes its participant's value of ``attribute``."""
        with self._transaction() as session:
            return mappings.set_dates(session, attribute, by)

    def mapping_options(self) -> mappings.MappingOptions:
        """What the study offers to map: coders, attributes, date attributes, uncoded parents."""
        with self._session() as session:
            return mappings.options(session)
