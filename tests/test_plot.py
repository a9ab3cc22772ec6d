"""`vcfkg plot`: the rating matrix's structure (71 rated cells in 9 rows, coloured and labelled by category, a
legend), read from the SVG's ids rather than from pixels; the picture in the README is up to date."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import vcfkg
from vcfkg.cli import main
from vcfkg.plot import PALETTE

SVG = "{http://www.w3.org/2000/svg}"
README_PICTURE = Path(__file__).parent.parent / "docs" / "matrix.svg"


def structure(path: Path) -> dict[str, object]:
    """What the picture shows: each rated cell's colour and text, the rows, and the legend's entries."""
    root = ET.parse(path).getroot()
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}
    cells = {}
    for gid, group in groups.items():
        if gid.startswith("cell-"):
            fill = re.search(r"fill: (#[0-9a-f]{6})", group.find(f"{SVG}path").get("style", ""))
            label = groups[gid.replace("cell-", "label-", 1)].find(f".//{SVG}text").text
            cells[gid.removeprefix("cell-")] = (fill.group(1) if fill else None, label)
    legend = [text.text for text in groups["legend"].iter(f"{SVG}text")] if "legend" in groups else []
    rows = sorted(int(gid.removeprefix("row-")) for gid in groups if gid.startswith("row-"))
    return {"cells": cells, "rows": rows, "legend": legend}


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plot") / "matrix.svg"
    assert main(["plot", "--out", str(path)]) == 0
    return path


def test_matrix_has_every_rating_and_nothing_else(drawn: Path, kg: vcfkg.KnowledgeGraph) -> None:
    shown = structure(drawn)
    variants = kg.variants()
    order = sorted({(r.category, r.rating_range) for v in variants for r in v.ratings}, key=lambda c: -c[1][1] * 10)
    expected = {}
    for variant in variants:
        for rating in variant.ratings:
            low, high = rating.rating_range
            colour = PALETTE[[c for c, _ in order].index(rating.category)]
            expected[f"{variant.number}-{rating.procedure_id}"] = (colour, str(low) if low == high else f"{low}–{high}")
    assert len(shown["cells"]) == 71 == len(expected)  # blank where a variant does not rate a procedure
    assert shown["cells"] == expected
    assert shown["rows"] == list(range(1, 10))
    assert [entry.split(" (")[0] for entry in shown["legend"]] == [
        "Usually Appropriate",
        "May Be Appropriate",
        "May Be Appropriate",
        "Usually Not Appropriate",
    ]
    assert "(Disagreement) (5)" in shown["legend"][2] and shown["legend"][0].endswith("(7–9)")


def test_same_graph_same_svg(drawn: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.svg"
    assert main(["plot", "--out", str(again)]) == 0
    assert again.read_bytes() == drawn.read_bytes()
    assert b"<dc:date>" not in again.read_bytes()


def test_readme_picture_is_up_to_date(drawn: Path) -> None:
    """docs/matrix.svg (embedded in the README) shows what the graph says; regenerate it with
    `vcfkg plot --out docs/matrix.svg` when the ratings change."""
    assert structure(README_PICTURE) == structure(drawn)
    assert "](docs/matrix.svg)" in (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_png(tmp_path: Path) -> None:
    path = tmp_path / "matrix.png"
    assert main(["plot", "--out", str(path)]) == 0
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 1000 and height > 800


def test_other_suffix_is_an_error(tmp_path: Path, capsys) -> None:
    assert main(["plot", "--out", str(tmp_path / "matrix.pdf")]) == 2
    err = capsys.readouterr().err
    assert ".svg or .png" in err and err.count("\n") == 1
