"""Look inside an Office ZIP (.docx, .xlsx) before any XML parser does: refuse damaged archives,
decompression bombs and archives without the part we need."""

from __future__ import annotations

import io
import zipfile

from thematica.errors import InputError
from thematica.importers.guard import ZIP_ERRORS

MAX_UNCOMPRESSED = 200 * 1024 * 1024


def check_office_zip(data: bytes, source: str, *, required_part: str, kind: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except ZIP_ERRORS:
        raise InputError(
            source, f"not a readable {kind}: the file is damaged or truncated (not a valid ZIP)"
        ) from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise InputError(
            source,
            f"refused: the {kind} would unpack to {total // (1024 * 1024)} MB "
            f"(more than {MAX_UNCOMPRESSED // (1024 * 1024)} MB)",
        )
    if required_part not in {i.filename for i in infos}:
        raise InputError(source, f"not a {kind}: the archive has no {required_part}")
