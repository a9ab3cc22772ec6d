"""SINS: the compiled score and class equal queries/sins_score.rq; worked examples; partial assessments."""

from __future__ import annotations

import itertools
import random

import pytest


def test_sins_compiled_equals_sins_score_query(kg) -> None:
    """Every one of 300 seeded full option sets: the compiled score and class equal queries/sins_score.rq."""
    options = kg.compiled.sins_options
    combos = list(itertools.product(*[[(c, o) for o in opts] for c, opts in options.items()]))
    for combo in random.Random(7).sample(combos, 300):
        compiled = kg.sins(dict(combo))
        [row] = kg.query("sins_score", options=list(combo))
        assert (compiled.score, compiled.category) == (row["score"], row["class"])


@pytest.mark.parametrize(
    ("options", "score", "category"),
    [
        (
            {
                "location": "rigid",
                "pain": "none",
                "bone_lesion": "blastic",
                "alignment": "normal",
                "collapse": "none",
                "posterolateral": "none",
            },
            0,
            "stable",
        ),
        (
            {
                "level": "C1",
                "pain": "mechanical",
                "bone_lesion": "lytic",
                "alignment": "subluxation",
                "collapse": "gt50",
                "posterolateral": "bilateral",
            },
            18,
            "unstable",
        ),
        (
            {
                "level": "L3",
                "pain": "occasional",
                "bone_lesion": "mixed",
                "alignment": "normal",
                "collapse": "none",
                "posterolateral": "none",
            },
            4,
            "stable",
        ),
        (
            {
                "level": "T5",
                "pain": "mechanical",
                "bone_lesion": "lytic",
                "alignment": "normal",
                "collapse": "lt50",
                "posterolateral": "none",
            },
            8,
            "potentially unstable",
        ),
        (
            {
                "level": "S3",
                "pain": "mechanical",
                "bone_lesion": "lytic",
                "alignment": "de_novo_deformity",
                "collapse": "gt50",
                "posterolateral": "bilateral",
            },
            13,
            "unstable",
        ),
    ],
)
def test_sins_examples(kg, options: dict, score: int, category: str) -> None:
    result = kg.sins(options)
    assert (result.score, result.category) == (score, category)


def test_partial_sins_category_only_when_the_range_is_in_one_class(kg) -> None:
    decided = kg.sins(
        location="junctional", pain="mechanical", bone_lesion="lytic", alignment="subluxation", collapse="gt50"
    )
    assert decided.score is None and decided.score_range == (15, 18) and decided.category == "unstable"
    undecided = kg.sins(pain="none")
    assert undecided.score_range == (0, 15) and undecided.category is None
