"""Every rating has a rationale in vcfkg's own words, pointing to a heading of the source's discussion.

The source text is not shipped; tests/data/source/ holds its fingerprint (tests/source_fingerprint.py).
"""

from __future__ import annotations

import pytest
from support import load_headings, load_shingles, shared_runs

SHINGLES = load_shingles()
HEADINGS = load_headings()


def _ratings(kg) -> list:
    return [(v.number, r) for v in kg.variants() for r in v.ratings]


def test_all_71_ratings_have_a_rationale_and_a_source_section(kg) -> None:
    ratings = _ratings(kg)
    assert len(ratings) == 71
    assert all(r.rationale.strip() and r.source_section for _, r in ratings)
    assert len({r.rationale for _, r in ratings}) >= 60  # written per rating, not one sentence pasted everywhere


def test_source_sections_are_headings_of_that_variants_discussion(kg) -> None:
    for number, rating in _ratings(kg):
        variant, _, heading = rating.source_section.partition(" › ")
        assert variant == f"Variant {number}", rating.source_section
        assert heading in HEADINGS[number], f"{rating.source_section}: no such heading under Variant {number}"


def test_rationales_share_no_run_of_8_words_with_the_source(kg) -> None:
    copied = {r.source_section + " / " + r.procedure: shared_runs(r.rationale, SHINGLES) for _, r in _ratings(kg)}
    assert {k: v for k, v in copied.items() if v} == {}


def test_the_shared_words_check_finds_a_quotation(kg) -> None:
    """The variant 7 criterion's comment quotes the source on purpose; the check must see it."""
    [row] = kg.engine.select(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX vcf: <https://w3id.org/vcfkg/> "
        "SELECT ?comment WHERE { vcf:variant-7-criterion-5 rdfs:comment ?comment }"
    )
    assert "no role for rt in a patient without" in shared_runs(row["comment"], SHINGLES)


@pytest.mark.parametrize("number", range(1, 10))
def test_variant_json_carries_rationale_on_every_rating(kg, number: int) -> None:
    for rating in kg.variant(number).to_json()["ratings"]:
        assert rating["rationale"] and rating["source_section"].startswith(f"Variant {number} › ")
