"""REFI-QDA exchange: projects (.qdpx) and codebooks (.qdc), to and from an :class:`XProject`.

The work is split in three modules: :mod:`~thematica.exchange.refi_safety` (hostile-file checks
and the locked-down XML parser), :mod:`~thematica.exchange.refi_read` (import, offset units,
canonical text) and :mod:`~thematica.exchange.refi_write` (export). This module is the public
face.

Export (:func:`write_qdpx`)
    A ZIP with ``project.qde`` (UTF-8 without a BOM, namespace ``urn:QDA-XML:project:1.0``,
    ``origin="Thematica <version>"``) and one ``sources/<guid>.txt`` (UTF-8 without a BOM, the
    text exactly as Thematica holds it) per source. Sections follow the schema's order (Users,
    CodeBook, Variables, Cases, Sources, Notes, Links, Sets) and an empty one is left out.
    Positions are code points, end exclusive, as the standard says. Each distinct span of a
    source is one ``PlainTextSelection`` (with a guid derived from the source and the span),
    holding one ``Coding creatingUser=...`` per coder's coding of it; the selection's own
    ``creatingUser`` is set only when all its codings share one coder. Colours are ``#RRGGBB``.
    A guid that is not a GUID is replaced by a stable GUID derived from it, and characters
    that XML cannot hold become U+FFFD. The output validates against Project-mrt2019.xsd.

What Thematica keeps that REFI has no element for
    * A source's turns and interview date: the TextSource ``<Description>`` is one line,
      ``thematica:`` followed by JSON: ``{"v":1,"interview_date":"2024-03-01","turns":[[speaker,
      role, start, end, start_ms, end_ms], ...]}`` with code-point offsets into the text.
    * A code's level and theme flag: a last line ``thematica:{"level":2,"theme":true}`` in the
      Code ``<Description>``, written only when they differ from the defaults (level 1, not a
      theme) or when the description's own last line starts with ``thematica:``. Import
      strips that line.
    * A case's group: a Text variable named ``group`` (``group`` is a reserved attribute name
      in Thematica's registers, so it cannot clash). Import turns a Text variable of that name
      back into :attr:`XCase.group` and does not list it among the variables.
    * A coding's memo: a ``<Note>`` named "Memo" that only that ``<Coding>`` refers to (a
      ``NoteRef`` inside it). On import, any note that exactly one coding and nothing else
      refers to becomes that coding's memo.
    * Notes: a ``NoteRef`` is placed on each target that REFI lets carry one (code, source,
      coding, link); a note without targets is a free note. Targets that cannot carry a
      ``NoteRef`` (a case, say) are listed in the Note's ``<Description>`` as
      ``thematica:{"note":true,"targets":[...]}``; the same marker, without targets, keeps a
      note on a single coding from being read back as a memo.

Import (:func:`read_qdpx`, :func:`read_qdc`)
    * ZIP members are found ignoring case (``Sources/`` or ``sources/``), dot-files such as
      ``sources/.root`` are ignored, and a single ``*.qde`` not named ``project.qde`` is used.
      A bare .qde (project XML without the ZIP) is read too, with inline texts.
    * ``plainTextPath`` may be ``internal://<file>``, a bare file name, or missing when the
      text is inline (``PlainTextContent``). Texts are UTF-8; a BOM is dropped.
    * Positions: the unit is detected per project among code points and UTF-16 code units,
      each with CRLF counted as two or as one (:func:`~thematica.exchange.refi_offsets.detect_unit`:
      the candidate whose selection boundaries most often fall on word boundaries, with the
      producer as a tie-breaker; NVivo counts UTF-16 units). Positions are converted to code
      points, then the text is made canonical (LF newlines, NFC) and the positions follow it
      (:class:`~thematica.exchange.refi_offsets.CanonicalText`). ``XProject.offset_unit`` records
      the unit found.
    * GUIDs are lower-cased and lose their braces. Colours are read leniently (``#RGB``,
      ``#RRGGBBAA`` without its alpha, ``r,g,b``), else None. NVivo's codable parent codes stay
      codable.
    * A codebook's namespace may be any ``urn:QDA-XML:...`` (``codebook:1.0``, ``1:0``, ``0:4``)
      and an empty ``<Sets/>`` is accepted.
    * PDF and picture sources, audio and video sources without a transcript, and text sources
      that have only a rich-text file, are listed by name in :attr:`XProject.skipped`. An audio
      or video source with a transcript is read as a text source with its recording
      (:mod:`~thematica.exchange.refi_media`, which also writes them for ``--media``).
    * A ``Coding`` directly in a TextSource codes the whole text. A selection's
      ``Description`` (an ATLAS.ti comment, a MAXQDA annotation) becomes a note on its codings,
      or on the source when it has none. ``DateTime`` variables are kept as ISO text.
    * Refused, with an :class:`ExchangeError` naming the file: XML that declares entities or
      names an external DTD; malformed XML (with its line); a damaged or truncated ZIP;
      members with absolute paths or ``..``; more than
      :data:`~thematica.exchange.refi_safety.MAX_MEMBER_BYTES` in one member or
      :data:`~thematica.exchange.refi_safety.MAX_TOTAL_BYTES` in all (declared or read); a
      root that is not a REFI-QDA project; a text file that is referred to but missing; a
      selection outside its text; a coding of a code that is not in the codebook.
"""

from __future__ import annotations

from thematica.exchange.refi_codes_read import read_qdc
from thematica.exchange.refi_offsets import OFFSET_UNITS, CanonicalText, detect_unit
from thematica.exchange.refi_read import read_qdpx
from thematica.exchange.refi_safety import ExchangeError
from thematica.exchange.refi_write import write_qdpx

__all__ = [
    "OFFSET_UNITS",
    "CanonicalText",
    "ExchangeError",
    "detect_unit",
    "read_qdc",
    "read_qdpx",
    "write_qdpx",
]
