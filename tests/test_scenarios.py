"""The public scenario suite (scenarios/vcf-scenarios.jsonl): its shape, and every case answered as expected by the
compiled path and the SPARQL path. The expectations were written by hand from the guideline's variant titles and
the README's criteria table, not produced by vcfkg; the conflicts from the guideline's rating tables (the procedures
two matched variants rate in different categories, with the category's rating range), and the measured cases from
the deformity thresholds the guideline states (kyphosis 15%, scoliosis 10%, dorsal wall 10%, vertebral height 20%)."""

from __future__ import annotations

import json
from typing import Any

import pytest

import vcfkg
from vcfkg.resources import scenarios_path

CASES: list[dict[str, Any]] = [json.loads(line) for line in scenarios_path().read_text(encoding="utf-8").splitlines()]
STATUSES = ("matched", "possible", "excluded")


def test_suite_shape() -> None:
    assert len(CASES) >= 60
    ids = [case["id"] for case in CASES]
    assert len(set(ids)) == len(ids), "scenario ids must be unique"
    for case in CASES:
        assert set(case) == {"id", "description", "patient", "expected"}, case["id"]
        description = case["description"]
        assert description[0].isupper() and description.endswith(".") and ". " not in description, case["id"]
        expected = case["expected"]
        if "error" in expected:
            assert set(expected) == {"error"}, case["id"]
            continue
        assert set(expected) <= {*STATUSES, "red_flags", "sins", "conflicts"} and set(STATUSES) <= set(expected), case[
            "id"
        ]
        assert sorted(n for status in STATUSES for n in expected[status]) == list(range(1, 10)), case["id"]
        if len(expected["matched"]) > 1:  # overlapping variants: the suite states what they rate differently
            assert "conflicts" in expected, case["id"]
        for conflict in expected.get("conflicts", ()):
            assert [r["variant"] for r in conflict["ratings"]] == sorted(expected["matched"]), case["id"]


def test_suite_covers_what_it_promises() -> None:
    """Every variant's canonical patient (matched alone), every pair of variants that can match together, errors,
    red flags and SINS."""
    alone = {case["expected"]["matched"][0] for case in CASES if len(case["expected"].get("matched", ())) == 1}
    assert alone == set(range(1, 10))
    together = {tuple(case["expected"]["matched"]) for case in CASES if len(case["expected"].get("matched", ())) > 1}
    assert {(1, 3), (2, 3), (3, 4), (5, 8), (6, 7), (6, 8), (7, 8), (6, 7, 8)} <= together
    assert sum("error" in case["expected"] for case in CASES) >= 10
    assert sum("red_flags" in case["expected"] for case in CASES) >= 5
    assert sum("sins" in case["expected"] for case in CASES) >= 5
    with_conflicts = {tuple(case["expected"]["matched"]) for case in CASES if case["expected"].get("conflicts")}
    assert {(2, 3), (5, 8), (6, 8)} <= with_conflicts
    assert any(case["expected"].get("conflicts") == [] and len(case["expected"]["matched"]) == 1 for case in CASES)


def test_suite_covers_each_threshold(kg: vcfkg.KnowledgeGraph) -> None:
    """Each measurement at, just under and just over its threshold; all four measured and none met; a measured
    deformity that contradicts a given one; an out-of-range value."""
    measured = [case for case in CASES if isinstance(case["patient"], dict) and "measurements" in case["patient"]]
    for threshold in kg.compiled.deformity_thresholds:
        values = {
            case["patient"]["measurements"][threshold.field]
            for case in measured
            if list(case["patient"]["measurements"]) == [threshold.field] and "error" not in case["expected"]
        }
        assert threshold.threshold in values, threshold.field
        assert any(threshold.threshold - 0.5 <= v < threshold.threshold for v in values), threshold.field
        assert any(threshold.threshold < v <= threshold.threshold + 0.5 for v in values), threshold.field
    fields = {t.field for t in kg.compiled.deformity_thresholds}
    assert any(set(case["patient"]["measurements"]) == fields and "error" not in case["expected"] for case in measured)
    errors = {case["expected"]["error"] for case in measured if "error" in case["expected"]}
    assert "deformity" in errors and any(e.startswith("measurements.") for e in errors)


@pytest.mark.parametrize("method", ["compiled", "sparql"])
@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_scenario(kg: vcfkg.KnowledgeGraph, case: dict[str, Any], method: str) -> None:
    expected = case["expected"]
    if "error" in expected:
        with pytest.raises(vcfkg.InvalidPatientError) as raised:
            kg.recommend(case["patient"], method=method)  # type: ignore[arg-type]
        assert raised.value.field == expected["error"]
        return
    answer = kg.recommend(case["patient"], method=method)  # type: ignore[arg-type]
    got = {status: sorted(v.variant for v in getattr(answer, status)) for status in STATUSES}
    assert got == {status: sorted(expected[status]) for status in STATUSES}
    if "red_flags" in expected:
        assert sorted(flag.flag for flag in answer.red_flags) == sorted(expected["red_flags"])
    if "sins" in expected:
        assert answer.sins is not None
        assert (answer.sins.score, answer.sins.category) == (expected["sins"]["score"], expected["sins"]["category"])
    if "conflicts" in expected:
        assert [conflict.to_json() for conflict in answer.conflicts] == expected["conflicts"]
