"""The rating matrix as a picture: variants by procedures, each rated cell coloured by its appropriateness category.

Needs matplotlib (``pip install 'vcfkg[plot]'``). The picture is drawn from the loaded graph (variants, their
rated procedures, categories and ranges), deterministic (no dates, fixed SVG ids), and its SVG is structured:
every rated cell is an element with id ``cell-<variant>-<procedure id>`` (its text ``label-<variant>-<procedure
id>``), every row ``row-<variant>``, and the legend ``legend``, so tools (and the tests) can read it without
looking at pixels.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vcfkg.errors import InvalidArgumentError, MissingExtraError
from vcfkg.models import Procedure, Variant

if TYPE_CHECKING:
    from vcfkg.kg import KnowledgeGraph

SUFFIXES = (".svg", ".png")
# One colour per category, from the most to the least appropriate (categories are ordered by their ratings).
PALETTE = ("#1b7837", "#fee08b", "#fdae61", "#d73027")
TEXT_COLOURS = ("white", "black", "black", "white")


def _category_order(variants: tuple[Variant, ...]) -> list[tuple[str, tuple[int, int]]]:
    """The categories used, most appropriate first (higher maximum, then wider range: 4 to 6 before 5)."""
    found = {(r.category, r.rating_range) for v in variants for r in v.ratings}
    return sorted(found, key=lambda item: (-item[1][1], item[1][0]))


def _range_text(rating_range: tuple[int, int]) -> str:
    low, high = rating_range
    return str(low) if low == high else f"{low}–{high}"


def _columns(procedures: tuple[Procedure, ...]) -> list[Procedure]:
    """Imaging procedures first, then treatments, each in the graph's order."""
    return [p for p in procedures if p.kind == "imaging"] + [p for p in procedures if p.kind != "imaging"]


def draw(kg: KnowledgeGraph) -> Any:
    """The matrix as a matplotlib Figure (imaging variants above, treatment variants below a gap)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch, Rectangle
    except ImportError:
        raise MissingExtraError("drawing the matrix needs matplotlib: pip install 'vcfkg[plot]'") from None
    variants = kg.variants()
    columns = _columns(kg.procedures())
    categories = _category_order(variants)
    colour = {category: index for index, (category, _) in enumerate(categories)}
    # Row positions from the top: imaging variants, a gap, then treatment variants.
    rows: dict[int, float] = {}
    y = 0.0
    for question in ("imaging", "treatment"):
        for variant in (v for v in variants if v.question == question):
            rows[variant.number] = y
            y += 1
        y += 0.5
    height = y - 0.5
    x_of = {procedure.procedure_id: index for index, procedure in enumerate(columns)}

    figure = Figure(figsize=(14, 9.5), layout="constrained")
    axes = figure.add_subplot()
    axes.set_xlim(0, len(columns))
    axes.set_ylim(height, 0)
    for variant in variants:
        top = rows[variant.number]
        row = Rectangle((0, top), len(columns), 1, facecolor="none", edgecolor="#bbbbbb", linewidth=0.5)
        row.set_gid(f"row-{variant.number}")
        axes.add_patch(row)
        for rating in variant.ratings:
            index = colour[rating.category]
            left = x_of[rating.procedure_id]
            cell = Rectangle((left, top), 1, 1, facecolor=PALETTE[index], edgecolor="white", linewidth=1.5)
            cell.set_gid(f"cell-{variant.number}-{rating.procedure_id}")
            axes.add_patch(cell)
            label = axes.text(
                left + 0.5, top + 0.5, _range_text(rating.rating_range),
                ha="center", va="center", fontsize=9, color=TEXT_COLOURS[index],
            )  # fmt: skip
            label.set_gid(f"label-{variant.number}-{rating.procedure_id}")
    axes.set_yticks(
        [rows[v.number] + 0.5 for v in variants],
        [textwrap.fill(f"{v.number}. {v.title}", 48) for v in variants],
        fontsize=7,
    )
    axes.set_xticks(
        [index + 0.5 for index in range(len(columns))],
        [textwrap.fill(p.name, 30) for p in columns],
        fontsize=7,
        rotation=60,
        ha="right",
        rotation_mode="anchor",
    )
    axes.tick_params(length=0)
    for side in axes.spines.values():
        side.set_visible(False)
    imaging = sum(1 for v in variants if v.question == "imaging")
    axes.axhline(imaging + 0.25, color="black", linewidth=1)
    axes.set_title(
        "ACR Appropriateness Criteria, Management of Vertebral Compression Fractures (revised 2022): ratings\n"
        "imaging variants (top) and treatment variants (bottom); blank: not rated in that variant",
        fontsize=10,
    )
    legend = figure.legend(
        handles=[
            Patch(facecolor=PALETTE[i], label=f"{category} ({_range_text(rating_range)})")
            for i, (category, rating_range) in enumerate(categories)
        ],
        loc="outside lower center",
        ncols=len(categories),
        fontsize=8,
        frameon=False,
    )
    legend.set_gid("legend")
    return figure


def plot(kg: KnowledgeGraph, path: str | Path) -> Path:
    """Draw the matrix into ``path`` (``.svg`` or ``.png``, by its suffix); deterministic output."""
    target = Path(path)
    if target.suffix.lower() not in SUFFIXES:
        raise InvalidArgumentError(f"{target}: the picture must be .svg or .png, not {target.suffix or 'no suffix'!r}")
    figure = draw(kg)
    import matplotlib

    # No date and no matplotlib version in the file, so the same graph gives the same picture.
    svg = target.suffix.lower() == ".svg"
    metadata: dict[str, Any] = {"Date": None, "Creator": None} if svg else {"Software": None}
    try:
        with matplotlib.rc_context({"svg.hashsalt": "vcfkg", "svg.fonttype": "none", "svg.id": "vcfkg-matrix"}):
            figure.savefig(target, metadata=metadata, dpi=150)
    except OSError as error:
        raise InvalidArgumentError(f"{target}: cannot write: {error.strerror or error}") from None
    return target
