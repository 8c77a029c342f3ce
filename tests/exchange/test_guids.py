"""The fast version-5 GUIDs equal ``str(uuid.uuid5(...))``: an export's GUIDs never change."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thematica.exchange.guids import Uuid5, uuid5
from thematica.exchange.refi_write import _THEMATICA, derived_guid
from thematica.service.exchange import _guid, _Guids

NAMES = [
    "",
    "a",
    "thematica:2026-01-01T00:00:00+00:00:coding:250000",
    "Café",
    "cafe\u0301",
    "Straße ½ ﬁnal",
    "日本語のテキスト",
    "emoji 🎉 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "line\nbreak\ttab\x1fseparator",
    "x" * 1000,
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("namespace", [uuid.NAMESPACE_URL, uuid.NAMESPACE_DNS, _THEMATICA])
def test_uuid5_is_the_uuid_modules(namespace: uuid.UUID, name: str) -> None:
    expected = str(uuid.uuid5(namespace, name))
    assert uuid5(namespace, name) == expected
    for cut in (0, len(name) // 2, len(name)):
        assert Uuid5(namespace, name[:cut])(name[cut:]) == expected


@given(namespace=st.uuids(), prefix=st.text(), name=st.text())
def test_any_prefix_and_name(namespace: uuid.UUID, prefix: str, name: str) -> None:
    expected = str(uuid.uuid5(namespace, prefix + name))
    assert Uuid5(namespace, prefix)(name) == expected
    assert uuid5(namespace, prefix + name) == expected


@given(
    seed=st.text(),
    kind=st.sampled_from(["coding", "code", "user", "source", "case", "set-supports"]),
    ident=st.one_of(st.integers(), st.none(), st.text()),
)
def test_study_guids_are_uuid5_of_seed_kind_and_id(seed: str, kind: str, ident: object) -> None:
    expected = str(uuid.uuid5(uuid.NAMESPACE_URL, f"thematica:{seed}:{kind}:{ident}"))
    guids = _Guids(seed)
    assert guids(kind, ident) == expected
    assert guids(kind, ident) == expected  # remembered, still the same
    assert guids.maker(kind)(f"{ident}") == expected
    assert _guid(seed, kind, ident) == expected


@given(parts=st.lists(st.text(), min_size=1, max_size=4))
def test_derived_guids_are_uuid5_of_the_joined_parts(parts: list[str]) -> None:
    assert derived_guid(*parts) == str(uuid.uuid5(_THEMATICA, "\x1f".join(parts)))
