"""The graph's content equals the source: the 71 printed ratings, Appendix 1, SINS, categories, procedure types.

Expected values come from hand transcriptions (tests/data/*.tsv) or are written here from the issue text,
never read back from the graph, and the graph side is read with SPARQL only.
"""

from __future__ import annotations

import pytest
from support import read_tsv

from vcfkg.engines import Engine, OxigraphEngine
from vcfkg.resources import ontology_path

PREFIXES = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX vcf: <https://w3id.org/vcfkg/>
"""

# Issue 2, item 7 (Fisher et al. 2010): points of every option, by component and option identifier.
SINS_POINTS = {
    ("location", "junctional"): 3,
    ("location", "mobile"): 2,
    ("location", "semirigid"): 1,
    ("location", "rigid"): 0,
    ("pain", "mechanical"): 3,
    ("pain", "occasional"): 1,
    ("pain", "none"): 0,
    ("bone_lesion", "lytic"): 2,
    ("bone_lesion", "mixed"): 1,
    ("bone_lesion", "blastic"): 0,
    ("alignment", "subluxation"): 4,
    ("alignment", "de_novo_deformity"): 2,
    ("alignment", "normal"): 0,
    ("collapse", "gt50"): 3,
    ("collapse", "lt50"): 2,
    ("collapse", "none_gt50_involved"): 1,
    ("collapse", "none"): 0,
    ("posterolateral", "bilateral"): 3,
    ("posterolateral", "unilateral"): 1,
    ("posterolateral", "none"): 0,
}
SINS_CLASSES = {"stable": (0, 6), "potentially unstable": (7, 12), "unstable": (13, 18)}


def _levels(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{n}" for n in range(1, count + 1)]


ALL_LEVELS = ["occiput", *_levels("C", 7), *_levels("T", 12), *_levels("L", 5), *_levels("S", 5)]
# Issue 2 item 7: junctional occiput-C2, C7-T2, T11-L1, L5-S1; mobile C3-C6, L2-L4; semirigid T3-T10; rigid S2-S5.
LEVEL_LOCATION = {
    **dict.fromkeys(["occiput", "C1", "C2", "C7", "T1", "T2", "T11", "T12", "L1", "L5", "S1"], "junctional"),
    **dict.fromkeys(["C3", "C4", "C5", "C6", "L2", "L3", "L4"], "mobile"),
    **dict.fromkeys([f"T{n}" for n in range(3, 11)], "semirigid"),
    **dict.fromkeys(["S2", "S3", "S4", "S5"], "rigid"),
}

# Issue 2, item 5: rating ranges, and the order UA > MBA = MBA (Disagreement) > UNA.
CATEGORY_RANGES = {
    "Usually Appropriate": (7, 9),
    "May Be Appropriate": (4, 6),
    "May Be Appropriate (Disagreement)": (5, 5),
    "Usually Not Appropriate": (1, 3),
}


@pytest.fixture(scope="module")
def graph() -> Engine:
    return OxigraphEngine.from_files([ontology_path()])


def select(engine: Engine, body: str) -> list[dict]:
    return engine.select(PREFIXES + body)


def test_sins_levels_cover_the_spine_and_match_the_location_ranges() -> None:
    """The expectation itself: 30 levels, each in exactly one of the issue's location ranges."""
    assert len(ALL_LEVELS) == 30
    assert set(LEVEL_LOCATION) == set(ALL_LEVELS)


def test_ratings_equal_the_printed_tables(graph: Engine) -> None:
    rows = select(
        graph,
        """
        SELECT ?variant ?row ?procedure ?category WHERE {
          ?rating a vcf:Rating ;
            vcf:hasVariant/vcf:variantNumber ?variant ;
            vcf:order ?row ;
            vcf:hasProcedure/rdfs:label ?procedure ;
            vcf:hasCategory/rdfs:label ?category .
        } ORDER BY ?variant ?row
        """,
    )
    graph_rows = [(r["variant"], r["row"], r["procedure"], r["category"]) for r in rows]
    printed = [(int(r["variant"]), int(r["row"]), r["procedure"], r["category"]) for r in read_tsv("ratings.tsv")]
    assert len(printed) == 71
    assert graph_rows == printed


def test_every_rating_node_is_complete(graph: Engine) -> None:
    """No rating lacks a variant, row, procedure or category (such a node would escape the table comparison)."""
    rows = select(
        graph,
        """
        SELECT (COUNT(DISTINCT ?rating) AS ?n) WHERE { ?rating a vcf:Rating }
        """,
    )
    assert rows == [{"n": 71}]


def test_red_flags_equal_appendix_1(graph: Engine) -> None:
    rows = select(
        graph,
        """
        SELECT ?condition ?flag ?signOf WHERE {
          ?redFlag a vcf:RedFlag ;
            rdfs:label ?flag ;
            vcf:order ?order ;
            vcf:hasCondition/rdfs:label ?condition .
          OPTIONAL { ?redFlag vcf:isSignOf/rdfs:label ?signOf }
        } ORDER BY ?order
        """,
    )
    graph_rows = [(r["condition"], r["flag"], r["signOf"] or "") for r in rows]
    appendix = [(r["condition"], r["red_flag"], r["sign_of"]) for r in read_tsv("red_flags.tsv")]
    assert graph_rows == appendix


def test_red_flag_identifiers_are_unique_snake_case(graph: Engine) -> None:
    rows = select(graph, "SELECT ?id WHERE { ?flag a vcf:RedFlag ; dcterms:identifier ?id }")
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == len(read_tsv("red_flags.tsv"))
    assert all(i.replace("_", "").isalpha() and i == i.lower() for i in ids), ids


def test_sins_points_of_every_option(graph: Engine) -> None:
    rows = select(
        graph,
        """
        SELECT ?component ?option ?points WHERE {
          ?node a vcf:SinsOption ;
            dcterms:identifier ?option ;
            vcf:points ?points ;
            vcf:hasComponent/dcterms:identifier ?component .
        }
        """,
    )
    points = {(r["component"], r["option"]): r["points"] for r in rows}
    assert len(rows) == len(points), "an option has two point values or two components"
    assert points == SINS_POINTS


def test_sins_components_list_their_options(graph: Engine) -> None:
    rows = select(
        graph,
        """
        SELECT ?component ?option WHERE {
          ?node a vcf:SinsComponent ; dcterms:identifier ?component ; vcf:hasOption/dcterms:identifier ?option .
        }
        """,
    )
    assert {(r["component"], r["option"]) for r in rows} == set(SINS_POINTS)


def test_sins_classes(graph: Engine) -> None:
    rows = select(
        graph,
        """
        SELECT ?label ?min ?max WHERE {
          ?class a vcf:SinsClass ; rdfs:label ?label ; vcf:minScore ?min ; vcf:maxScore ?max .
        }
        """,
    )
    assert {r["label"]: (r["min"], r["max"]) for r in rows} == SINS_CLASSES
    assert len(rows) == 3


def test_every_level_is_in_exactly_one_location_option(graph: Engine) -> None:
    rows = select(
        graph,
        """
        SELECT ?level (COUNT(?location) AS ?n) (SAMPLE(?location) AS ?where) WHERE {
          ?node a vcf:VertebralLevel ; dcterms:identifier ?level .
          OPTIONAL {
            ?node vcf:hasLocationOption ?option .
            ?option vcf:hasComponent/dcterms:identifier "location" ; dcterms:identifier ?location .
          }
        } GROUP BY ?level
        """,
    )
    counts = {r["level"]: r["n"] for r in rows}
    assert counts == dict.fromkeys(ALL_LEVELS, 1)
    assert {r["level"]: r["where"] for r in rows} == LEVEL_LOCATION


def test_categories_ranges_and_order(graph: Engine) -> None:
    rows = select(
        graph,
        """
        SELECT ?label ?min ?max ?rank WHERE {
          ?category a vcf:AppropriatenessCategory ;
            rdfs:label ?label ; vcf:minRating ?min ; vcf:maxRating ?max ; vcf:rank ?rank .
        }
        """,
    )
    assert {r["label"]: (r["min"], r["max"]) for r in rows} == CATEGORY_RANGES
    rank = {r["label"]: r["rank"] for r in rows}
    assert (
        rank["Usually Appropriate"]
        > rank["May Be Appropriate"]
        == rank["May Be Appropriate (Disagreement)"]
        > rank["Usually Not Appropriate"]
    )


def test_disagreement_is_a_kind_of_may_be_appropriate(graph: Engine) -> None:
    rows = select(
        graph,
        """
        SELECT ?broader WHERE {
          ?category rdfs:label "May Be Appropriate (Disagreement)"@en ; skos:broader/rdfs:label ?broader .
        }
        """,
    )
    assert rows == [{"broader": "May Be Appropriate"}]


def _procedures_of(variants: range) -> set[str]:
    return {r["procedure"] for r in read_tsv("ratings.tsv") if int(r["variant"]) in variants}


def test_procedures_are_typed_imaging_or_treatment(graph: Engine) -> None:
    def labels(cls: str) -> set[str]:
        rows = select(graph, f"SELECT DISTINCT ?label WHERE {{ ?p a/rdfs:subClassOf* {cls} ; rdfs:label ?label }}")
        return {r["label"] for r in rows}

    imaging, treatment = labels("vcf:ImagingProcedure"), labels("vcf:Treatment")
    guided = {
        r["label"]
        for r in select(
            graph, "SELECT ?label WHERE { ?p vcf:hasModality vcf:modality-image-guided-biopsy ; rdfs:label ?label }"
        )
    }
    assert len(labels("vcf:Procedure")) == 17
    assert imaging == _procedures_of(range(1, 5)) and len(imaging) == 11
    assert treatment == _procedures_of(range(5, 10)) and len(treatment) == 6
    assert guided == {"Image-guided biopsy spine area of interest"}
    assert labels("vcf:Procedure") == imaging | treatment
