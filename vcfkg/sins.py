"""Spinal Instability Neoplastic Score (Fisher et al., Spine 2010) from the graph's components and classes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from vcfkg.compiled import Compiled
from vcfkg.engines import Row
from vcfkg.models import SinsComponentScore, SinsResult

UNDECIDED = "class undecided"  # queries/sins_score.rq's ?class when no class holds the whole range


class Scorer:
    """The SINS table of the compiled vocabulary prepared for scoring: each component's options, and the fewest
    and most points it can add when it is not given."""

    def __init__(self, compiled: Compiled) -> None:
        self.options = compiled.sins_options
        self.bounds = {
            component: (min(o.points for o in options.values()), max(o.points for o in options.values()))
            for component, options in self.options.items()
        }
        self.classes = compiled.sins_classes

    def score(self, options: Mapping[str, str], level: str | None = None) -> SinsResult:
        """Score validated options (see :func:`vcfkg.patient.parse_sins`); missing components widen the range."""
        components = tuple(
            (component, table[options[component]]) for component, table in self.options.items() if component in options
        )
        known = sum([points.points for _, points in components])
        missing = tuple([component for component in self.options if component not in options])
        low = known + sum([self.bounds[c][0] for c in missing])
        high = known + sum([self.bounds[c][1] for c in missing])
        category = None
        for label, class_low, class_high in self.classes:
            if class_low <= low and high <= class_high:
                category = label
        return SinsResult(
            components=components,
            score=known if not missing else None,
            score_range=(low, high),
            category=category,
            missing=missing,
            level=level,
        )


def from_rows(options: Mapping[str, str], level: str | None, option_rows: Iterable[Row], score_row: Row) -> SinsResult:
    """The same result from query answers: ``option_rows`` of ``queries/vocabulary/sins.rq`` (every component's
    options, in table order) and the row of ``queries/sins_score.rq`` for ``options``."""
    components: list[tuple[str, SinsComponentScore]] = []
    order: list[str] = []
    for row in option_rows:
        if row["component"] not in order:
            order.append(row["component"])
        if options.get(row["component"]) == row["option"]:
            components.append((row["component"], SinsComponentScore(row["option"], row["optionLabel"], row["points"])))
    missing = tuple(component for component in order if component not in options)
    return SinsResult(
        components=tuple(components),
        score=score_row["score"] if not missing else None,
        score_range=(score_row["minScore"], score_row["maxScore"]),
        category=None if score_row["class"] == UNDECIDED else score_row["class"],
        missing=missing,
        level=level,
    )
