"""The control-character scan of :mod:`thematica.importers.encoding` (a regular expression, for
speed) counts exactly what the reference definition counts: characters of Unicode category Cc
other than tab, line feed, carriage return, form feed and vertical tab."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from tests.conftest import TESTDATA
from tests.importers.test_import_golden import DEMO, crafted, shared_files
from thematica.importers.encoding import _ALLOWED_CONTROLS, _COUNTED_CONTROLS, count_controls


def reference(text: str) -> int:
    """The definition, one category lookup per character (what import did before issue 15)."""
    return sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS)


def test_every_code_point_is_classified_as_unicodedata_does() -> None:
    wrong = [
        f"U+{point:04X}"
        for point in range(sys.maxunicode + 1)
        if (_COUNTED_CONTROLS.fullmatch(chr(point)) is not None)
        != (unicodedata.category(chr(point)) == "Cc" and chr(point) not in _ALLOWED_CONTROLS)
    ]
    assert wrong == []


def test_ascii_texts_take_the_byte_path_and_count_the_same() -> None:
    ascii_only = "".join(map(chr, range(128)))
    assert ascii_only.isascii()
    assert count_controls(ascii_only) == reference(ascii_only) == 33 - 5
    for point in range(128):
        assert count_controls(chr(point) * 3) == reference(chr(point) * 3), point


def test_count_of_every_code_point_at_once() -> None:
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    assert count_controls(everything) == reference(everything) == 65 - 5


@pytest.mark.parametrize(
    "text",
    ["", "plain", "\t\n\r\f\v", "a\x00b\x1bc\x7f\x85\x9f\xa0d", "\x1f" * 3, "\u200b\u2028\ufeff"],
)
def test_small_texts(text: str) -> None:
    assert count_controls(text) == reference(text)


def test_fixture_files_count_the_same() -> None:
    texts = [p.read_bytes().decode("utf-8", "replace") for p in (DEMO / "interviews").iterdir()]
    texts += [data.decode("utf-8", "replace") for _, data in crafted()]
    texts += [data.decode("latin-1") for _, data in crafted()]  # C1 controls as well
    if TESTDATA.is_dir():
        texts += [p.read_bytes().decode("latin-1") for p in shared_files()]
    assert [count_controls(t) for t in texts] == [reference(t) for t in texts]
    assert any(reference(t) for t in texts)
