"""The answer's shape: conflicts between overlapping matched variants and the notice, on both evaluation paths."""

from __future__ import annotations

import pytest
from support import CANONICAL

from vcfkg.models import conflicts_of

# Overlaps of issue 10, each with the procedures the two variants rate in different categories (from the tables).
OVERLAPS = {
    "v5+v8": (
        {**CANONICAL[5], "deformity": True},
        {
            "medical_management_only": [(5, "Usually Appropriate"), (8, "May Be Appropriate")],
            "percutaneous_vertebral_augmentation": [(5, "Usually Not Appropriate"), (8, "Usually Appropriate")],
            "surgical_consultation": [(5, "Usually Not Appropriate"), (8, "Usually Appropriate")],
        },
    ),
    "v6+v8": (
        {**CANONICAL[6], "worsening_pain": True},
        {
            "medical_management_only": [(6, "Usually Appropriate"), (8, "May Be Appropriate")],
            "surgical_consultation": [(6, "May Be Appropriate"), (8, "Usually Appropriate")],
        },
    ),
    "v2+v3": (
        {**CANONICAL[2], "new_back_pain": True, "previously_treated_vcf": True},
        {
            "ct_myelography_spine": [(2, "May Be Appropriate"), (3, "Usually Not Appropriate")],
            "mri_spine_with_iv_contrast": [(2, "May Be Appropriate (Disagreement)"), (3, "Usually Not Appropriate")],
            "mri_spine_without_and_with_iv_contrast": [(2, "Usually Appropriate"), (3, "May Be Appropriate")],
        },
    ),
}


@pytest.mark.parametrize("engine", ["compiled", "sparql"])
@pytest.mark.parametrize("name", list(OVERLAPS))
def test_overlapping_variants_report_their_conflicts(kg, name: str, engine: str) -> None:
    patient, expected = OVERLAPS[name]
    answer = kg.recommend(patient, method=engine)
    got = {c.procedure: [(r.variant, r.category) for r in c.ratings] for c in answer.conflicts}
    assert got == expected
    assert [c.procedure for c in answer.conflicts] == sorted(expected)  # ordered by procedure
    labels = {r.procedure_id: r.procedure for m in answer.matched for r in m.procedures}
    assert all(c.label == labels[c.procedure] for c in answer.conflicts)


@pytest.mark.parametrize("name", list(OVERLAPS))
def test_conflicts_are_identical_on_both_paths(kg, name: str) -> None:
    patient, _ = OVERLAPS[name]
    compiled = kg.recommend(patient).to_json()["conflicts"]
    assert compiled == kg.recommend(patient, method="sparql").to_json()["conflicts"]
    assert compiled[0]["ratings"][0].keys() == {"variant", "category", "rating_range"}


@pytest.mark.parametrize("number", list(CANONICAL))
def test_a_single_match_has_no_conflicts(kg, number: int) -> None:
    answer = kg.recommend(CANONICAL[number])
    assert [m.variant for m in answer.matched] == [number]
    assert answer.conflicts == () and answer.to_json()["conflicts"] == []


def test_a_procedure_both_variants_rate_alike_is_no_conflict(kg) -> None:
    """Variants 1 and 3 share rows with the same category (e.g. CT without contrast); only differing ones count."""
    answer = kg.recommend({**CANONICAL[1], "new_back_pain": True, "multiple_vcfs": True})
    assert {m.variant for m in answer.matched} == {1, 3}
    categories: dict[str, set[str]] = {}
    for match in answer.matched:
        for rating in match.procedures:
            categories.setdefault(rating.procedure_id, set()).add(rating.category)
    alike = {p for p, c in categories.items() if len(c) == 1}
    assert alike and answer.conflicts  # both kinds occur, so the test can fail
    assert {c.procedure for c in answer.conflicts} == {p for p, c in categories.items() if len(c) > 1}
    shared_same = [
        r.procedure_id
        for r in answer.matched[0].procedures
        if any(s.procedure_id == r.procedure_id and s.category == r.category for s in answer.matched[1].procedures)
    ]
    assert shared_same and not {c.procedure for c in answer.conflicts} & set(shared_same)
    assert conflicts_of(answer.matched[:1]) == ()


def test_single_answer_json_carries_the_notice(kg) -> None:
    data = kg.recommend(CANONICAL[1]).to_json()
    assert data["notice"] == kg.notice
    assert "notice" not in kg.recommend(CANONICAL[1]).to_json(notice=False)


def test_notice_names_the_guideline_and_revision_the_graph_cites(kg) -> None:
    """The notice is stated once (ontology header); it must name the source as the graph describes it."""
    [row] = kg.engine.select(
        "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX vcf: <https://w3id.org/vcfkg/> "
        "SELECT ?title ?version WHERE { vcf:acr-ac-vcf-2022 dcterms:title ?title ; dcterms:hasVersion ?version }"
    )
    assert f"{row['title']} ({row['version']})" in kg.notice
    assert "not a medical device" in kg.notice and "clinical judgement" in kg.notice


@pytest.mark.parametrize("engine", ["compiled", "sparql"])
def test_explain_adds_rationale_to_each_matched_procedure(kg, engine: str) -> None:
    explained = kg.recommend(CANONICAL[9], method=engine, explain=True).to_json()
    rows = explained["matched"][0]["procedures"]
    assert len(rows) == 6 and all(r["rationale"] and r["source_section"].startswith("Variant 9 › ") for r in rows)
    assert explained == kg.recommend(CANONICAL[9], method="compiled", explain=True).to_json()
    plain = kg.recommend(CANONICAL[9], method=engine).to_json()["matched"][0]["procedures"]
    assert len(plain) == 6 and all("rationale" not in r for r in plain)
