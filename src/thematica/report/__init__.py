"""Publication-ready output of a study: participant and theme tables, the theme map and
saturation figures, a quote bank, a findings draft and the COREQ/SRQR checklists, as DOCX,
Markdown, HTML, CSV and XLSX.

:func:`gather` reads the study once into :class:`ReportData`; everything else is a pure
function of that data, and :func:`write_report` does both.
"""

from thematica.report.data import ReportData, Segment, gather
from thematica.report.writing import FORMATS, render, write_report

__all__ = ["FORMATS", "ReportData", "Segment", "gather", "render", "write_report"]
