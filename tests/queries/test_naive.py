"""Queries a researcher writes from the README alone answer right on a plain store, without any reasoning.

The graph is loaded into pyoxigraph's default graph as a file; no inference is run. The expected answers
come from the hand transcription of the printed tables (tests/data/ratings.tsv, red_flags.tsv), not from
the graph.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import pyoxigraph
import pytest
from conftest import read_tsv

from vcfkg.resources import ontology_path

PREFIXES = """PREFIX vcf: <https://w3id.org/vcfkg/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
"""
IMAGING_VARIANTS = {"1", "2", "3", "4"}


@lru_cache(maxsize=1)
def store() -> pyoxigraph.Store:
    plain = pyoxigraph.Store()
    plain.load(path=str(ontology_path()), format=pyoxigraph.RdfFormat.TURTLE)
    return plain


def rows(query: str) -> list[tuple[str, ...]]:
    """Every answer row, values as plain strings (literal values, IRIs without brackets), duplicates kept."""
    solutions = store().query(PREFIXES + query)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    return [tuple(str(term.value) if term is not None else "" for term in solution) for solution in solutions]


def column(query: str) -> list[str]:
    return [row[0] for row in rows(query)]


@lru_cache(maxsize=1)
def printed() -> list[dict[str, str]]:
    return read_tsv("ratings.tsv")


def printed_procedures(variants: set[str] | None = None) -> set[str]:
    return {row["procedure"] for row in printed() if variants is None or row["variant"] in variants}


# -- type lookups: one row per member, no duplicates, no reasoning needed ------------------------------------
TYPE_LOOKUPS = [
    ("procedures", "SELECT ?label WHERE { ?p a vcf:Procedure ; rdfs:label ?label }", printed_procedures()),
    (
        "imaging-procedures",
        "SELECT ?label WHERE { ?p a vcf:ImagingProcedure ; rdfs:label ?label }",
        printed_procedures(IMAGING_VARIANTS),
    ),
    (
        "treatments",
        "SELECT ?label WHERE { ?p a vcf:Treatment ; rdfs:label ?label }",
        printed_procedures() - printed_procedures(IMAGING_VARIANTS),
    ),
    (
        "etiologies",
        "SELECT ?label WHERE { ?e a vcf:Etiology ; rdfs:label ?label }",
        {"osteoporotic", "benign", "pathologic"},
    ),
    (
        "benign-etiologies",
        "SELECT ?label WHERE { ?e a vcf:BenignEtiology ; rdfs:label ?label }",
        {"osteoporotic", "benign"},
    ),
    (
        "questions",
        "SELECT ?label WHERE { ?q a vcf:ClinicalQuestion ; rdfs:label ?label }",
        {"next or initial imaging study", "initial treatment"},
    ),
    (
        "red-flags",
        "SELECT ?label WHERE { ?f a vcf:RedFlag ; rdfs:label ?label }",
        {r["red_flag"] for r in read_tsv("red_flags.tsv")},
    ),
    (
        "categories-as-skos-concepts",
        "SELECT ?label WHERE { ?c a skos:Concept ; skos:inScheme vcf:appropriateness-categories ;"
        " skos:prefLabel ?label }",
        {row["category"] for row in printed()},
    ),
]


@pytest.mark.parametrize(("query", "expected"), [row[1:] for row in TYPE_LOOKUPS], ids=[row[0] for row in TYPE_LOOKUPS])
def test_type_lookup(query: str, expected: set[str]) -> None:
    answer = column(query)
    assert len(answer) == len(set(answer)), f"duplicate rows: {sorted(k for k, n in Counter(answer).items() if n > 1)}"
    assert set(answer) == expected


def test_a_type_join_lists_each_procedure_once_with_its_kind() -> None:
    """The join that listed the biopsy twice (and doubled its codes) when it had two kinds."""
    answer = rows("SELECT ?label ?kind WHERE { ?p a ?kind ; rdfs:label ?label . ?kind rdfs:subClassOf vcf:Procedure }")
    kinds = dict(answer)
    assert len(answer) == len(kinds) == 17
    imaging = {label for label, kind in kinds.items() if kind.endswith("/ImagingProcedure")}
    assert imaging == printed_procedures(IMAGING_VARIANTS)


def test_codes_joined_through_the_kind_are_not_doubled() -> None:
    joined = rows("SELECT ?p ?code WHERE { ?p a ?kind ; skos:exactMatch ?code . ?kind rdfs:subClassOf vcf:Procedure }")
    direct = rows("SELECT ?p ?code WHERE { ?p a vcf:Procedure ; skos:exactMatch ?code }")
    assert joined and sorted(joined) == sorted(direct) and len(set(joined)) == len(joined)


# -- category roll-ups ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", sorted({row["variant"] for row in printed()}, key=int))
def test_disagreement_rolls_up_into_may_be_appropriate(variant: str) -> None:
    answer = rows(
        f"""SELECT ?top (COUNT(?rating) AS ?n) WHERE {{
          ?rating vcf:hasVariant/vcf:variantNumber {int(variant)} ; vcf:hasCategory/skos:broader* ?topNode .
          ?topNode skos:topConceptOf vcf:appropriateness-categories ; skos:prefLabel ?top .
        }} GROUP BY ?top"""
    )
    expected = Counter(
        row["category"].removesuffix(" (Disagreement)") for row in printed() if row["variant"] == variant
    )
    assert {top: int(n) for top, n in answer} == dict(expected)


def test_roll_up_query_in_queries_gives_the_same_counts() -> None:
    query = (ontology_path().parent.parent / "queries" / "category_rollup.rq").read_text(encoding="utf-8")
    solutions = store().query(query)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    answer = {str(s["category"].value): int(s["count"].value) for s in solutions}
    expected = Counter(row["category"].removesuffix(" (Disagreement)") for row in printed() if row["variant"] == "2")
    assert answer == dict(expected)


# -- property joins -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", sorted({row["variant"] for row in printed()}, key=int))
def test_a_variant_table_by_property_joins(variant: str) -> None:
    answer = rows(
        f"""SELECT ?row ?procedure ?category WHERE {{
          ?rating a vcf:Rating ; vcf:hasVariant ?v ; vcf:order ?row ;
                  vcf:hasProcedure/rdfs:label ?procedure ; vcf:hasCategory/rdfs:label ?category .
          ?v vcf:variantNumber {int(variant)} .
        }} ORDER BY ?row"""
    )
    expected = [(r["row"], r["procedure"], r["category"]) for r in printed() if r["variant"] == variant]
    assert answer == expected


def test_red_flags_join_their_conditions() -> None:
    answer = set(rows("SELECT ?flag ?condition WHERE { ?f vcf:hasCondition/rdfs:label ?condition ; rdfs:label ?flag }"))
    assert answer == {(r["red_flag"], r["condition"]) for r in read_tsv("red_flags.tsv")}


def test_what_a_rating_carries_is_in_the_graph() -> None:
    carried = set(
        column(
            "SELECT ?p WHERE { VALUES ?d { vcf:Rating rdfs:Resource } { ?p rdfs:domain ?d } UNION"
            " { ?p schema:domainIncludes vcf:Rating } }"
        )
    )  # rdfs:Resource: annotations any term may carry, such as vcf:sourceSection
    used = set(column("SELECT DISTINCT ?p WHERE { ?r a vcf:Rating ; ?p ?o . FILTER(STRSTARTS(STR(?p), STR(vcf:))) }"))
    assert used and used == carried


# -- labels and synonyms ----------------------------------------------------------------------------------------
def test_labels_are_english_tagged_so_an_untagged_string_finds_nothing() -> None:
    """The README's first pitfall, as a SPARQL user meets it."""
    assert column('SELECT ?p WHERE { ?p rdfs:label "Medical management only" }') == []
    assert column('SELECT ?p WHERE { ?p rdfs:label "Medical management only"@en }') == [
        "https://w3id.org/vcfkg/medical-management-only"
    ]


@pytest.mark.parametrize(
    ("synonym", "label"),
    [
        ("kyphoplasty", "Percutaneous vertebral augmentation"),
        ("vertebroplasty", "Percutaneous vertebral augmentation"),
        ("multiple vertebral compression fractures", "multiple VCFs"),
        ("Spinal Instability Neoplastic Score location", "SINS location"),
        ("saddle anaesthesia", "Saddle anesthesia"),
    ],
)
def test_a_synonym_finds_its_term(synonym: str, label: str) -> None:
    query = f'SELECT ?label WHERE {{ ?t skos:altLabel "{synonym}"@en ; rdfs:label ?label }}'
    assert column(query) == [label]
