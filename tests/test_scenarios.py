"""The public scenario suite (scenarios/vcf-scenarios.jsonl): its shape, and every case answered as expected by the
compiled path and the SPARQL path. The expectations were written by hand from the guideline's variant titles and
the README's criteria table, not produced by vcfkg."""

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
        assert set(expected) <= {*STATUSES, "red_flags", "sins"} and set(STATUSES) <= set(expected), case["id"]
        assert sorted(n for status in STATUSES for n in expected[status]) == list(range(1, 10)), case["id"]


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
