"""The theme map on the themes page (issue 14, item 4): the report's own figure, as SVG for the
page and as SVG and PNG downloads; the page names it in words and its JSON twin links it."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient

from thematica.report import png

SVG = "{http://www.w3.org/2000/svg}"


def sign_in(client: TestClient, name: str = "Tom Okafor") -> None:
    assert client.post("/identity", data={"name": name}, follow_redirects=False).status_code == 303


def node_labels(svg: bytes) -> list[str]:
    """Each node's name as drawn: its bold lines joined (the n/N line left out)."""
    root = ET.fromstring(svg)
    names = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        bold = [t.text or "" for t in group.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
        names.append(" ".join(bold))
    return names


def test_the_map_is_the_frameworks_themes_with_their_counts(client: TestClient) -> None:
    sign_in(client)
    twin = client.get("/api/themes").json()
    [figure] = twin["map"]["figures"]
    assert figure["svg"] == "/themes/map.svg?download=1"
    assert figure["png"] == "/themes/map.png?download=1"
    response = client.get(figure["image"])
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
    assert "content-disposition" not in response.headers  # shown in the page
    assert sorted(node_labels(response.content)) == sorted(n["name"] for n in twin["nodes"])
    text = " ".join(t.text or "" for t in ET.fromstring(response.content).iter(f"{SVG}text"))
    for node in twin["nodes"]:
        assert f"{node['count']['n']}/{node['count']['total']}" in text
    for link in twin["links"]:
        assert link["label"].split()[0] in text
    assert b"<script" not in response.content
    download = client.get(figure["svg"])
    assert download.headers["content-disposition"] == 'attachment; filename="figure1-theme-map.svg"'
    assert download.content == response.content


def test_the_png_is_a_300_dpi_picture_of_the_map(client: TestClient) -> None:
    sign_in(client)
    response = client.get("/themes/map.png?download=1")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.headers["content-disposition"] == 'attachment; filename="figure1-theme-map.png"'
    assert response.content.startswith(png.SIGNATURE)
    width, height = png.size(response.content)
    assert 1000 < width <= 6.7 * 300 + 1 and 500 < height <= 9.5 * 300 + 1
    dpi = png.dpi(response.content)
    assert dpi is not None and round(dpi[0]) == 300


def test_the_page_shows_the_map_with_its_words_and_downloads(client: TestClient) -> None:
    sign_in(client, "Helen Marsh")  # a reader sees the map too
    page = client.get("/themes").text
    image = re.search(r'<img class="map-image" src="([^"]+)" alt="([^"]+)"', page)
    assert image is not None
    assert image.group(1).startswith("/themes/map.svg?v=")
    assert image.group(2).startswith("Theme map: 2 overarching themes, 4 themes, 8 sub-themes")
    assert 'href="/themes/map.svg?download=1" download' in page
    assert 'href="/themes/map.png?download=1" download' in page
    assert client.get(image.group(1).replace("&amp;", "&")).status_code == 200


def test_a_part_the_map_does_not_have_is_not_found(client: TestClient) -> None:
    sign_in(client)
    response = client.get("/themes/map.svg?part=5")
    assert response.status_code == 404 and "no part 5" in html.unescape(response.text)
    assert client.get("/themes/map.gif").status_code == 404
