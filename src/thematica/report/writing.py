"""``write_report``: gather the study once, then write each format from the same data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from thematica import private_files
from thematica.domain import REPORT_FORMATS
from thematica.errors import ThematicaError
from thematica.report import (
    docx_writer,
    flow_figure,
    html_writer,
    markdown_writer,
    saturation_figure,
    tables_writer,
    theme_map,
)
from thematica.report.characteristics import table1
from thematica.report.checklists import coreq_table, srqr_table
from thematica.report.data import ReportData, gather
from thematica.report.document import document
from thematica.report.framework import count_records, table2_records
from thematica.report.quotes import bank_records, quote_bank
from thematica.report.saturation_figure import guest_table
from thematica.service import StudyService

FORMATS = REPORT_FORMATS
DOCUMENTS = ("docx", "md", "html")  # the formats that show the figures
STEM = "report"


def check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    """The formats asked for, in a fixed order, or a :class:`ThematicaError` naming a bad one."""
    wanted = [f.strip().casefold() for f in formats if f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ThematicaError(
            f"unknown report format {', '.join(repr(f) for f in unknown)} "
            f"(formats: {', '.join(FORMATS)})"
        )
    if not wanted:
        raise ThematicaError(f"no report format given (formats: {', '.join(FORMATS)})")
    return tuple(f for f in FORMATS if f in wanted)


def sheets(data: ReportData) -> tuple[list[tuple[str, ...]], list[tables_writer.Sheet]]:
    """The flat tables: (CSV stems, every sheet); the checklists are XLSX-only."""
    flat = [
        tables_writer.flatten(table1(data)),
        tables_writer.records("table2", "Table 2", table2_records(data), ("path",)),
        tables_writer.records("counts", "Counts", count_records(data), ("path",)),
        tables_writer.records(
            "quote-bank", "Quote bank", bank_records(quote_bank(data)), ("path", "quote")
        ),
        tables_writer.flatten(guest_table(data)),
    ]
    checklists = [tables_writer.flatten(coreq_table(data)), tables_writer.flatten(srqr_table(data))]
    return [(s.stem,) for s in flat], [*flat, *checklists]


def render(
    data: ReportData,
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    today: dt.date | None = None,
) -> list[Path]:
    """Write the report from gathered data; return the files written, figures first."""
    chosen = check_formats(formats)
    try:
        private_files.make_folder(out_dir)
        written: list[Path] = []
        if any(f in DOCUMENTS for f in chosen):
            written += theme_map.render(data, out_dir)
            written += flow_figure.render(data, out_dir)
            written += saturation_figure.render(data, out_dir)
        blocks = document(data, today)
        if "docx" in chosen:
            written.append(docx_writer.write(blocks, out_dir / f"{STEM}.docx"))
        if "md" in chosen:
            written.append(markdown_writer.write(blocks, out_dir / f"{STEM}.md"))
        if "html" in chosen:
            written.append(html_writer.write(blocks, out_dir / f"{STEM}.html"))
        stems, all_sheets = sheets(data)
        if "csv" in chosen:
            flat = [s for s in all_sheets if (s.stem,) in stems]
            written += tables_writer.write_csv(flat, out_dir)
        if "xlsx" in chosen:
            written.append(tables_writer.write_xlsx(all_sheets, out_dir / f"{STEM}.xlsx"))
    except OSError as exc:
        where = exc.filename or out_dir
        raise ThematicaError(f"{where}: cannot write the report ({exc.strerror or exc})") from None
    return written


def write_report(
    service: StudyService,
    out_dir: Path | str,
    formats: Sequence[str] = FORMATS,
    attributes: Sequence[str] | None = None,
    exemplars: int = 3,
) -> list[Path]:
    """Write the report of an open study into ``out_dir`` and return the files written.

    ``attributes``: the participant attributes Table 1 describes (default: all).
    ``exemplars``: exemplar quotes per theme node in the quote bank.
    """
    chosen = check_formats(formats)
    data = gather(service, attributes=attributes, exemplars=exemplars)
    return render(data, Path(out_dir), chosen)
