"""Every shipped query: documented, standard SPARQL 1.1, same answers on rdflib and pyoxigraph; safe binding."""

from __future__ import annotations

import pytest

from vcfkg import matching, queries
from vcfkg.engines import IRI
from vcfkg.errors import InvalidArgumentError, UnknownQueryError

ALL = sorted(queries.registry())


def _comparable(rows: list[dict], ordered: bool) -> list:
    normalized = [
        tuple(
            sorted(
                (k, " ".join(sorted(v.split())) if isinstance(v, str) and k == "missing" else v) for k, v in row.items()
            )
        )
        for row in rows
    ]
    return normalized if ordered else sorted(normalized, key=repr)


def test_there_are_the_documented_queries() -> None:
    for name in (
        "match_variants",
        "recommend",
        "variant_procedures",
        "procedure_usually_appropriate",
        "red_flag_conditions",
        "sins_score",
        "category_summary",
        "variants",
        "procedures",
    ):
        assert name in queries.registry()


@pytest.mark.parametrize("name", ALL)
def test_query_has_header(name: str) -> None:
    text = queries.get(name).text
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert queries.get(name).purpose, f"{name}: first comment line must state the purpose"
    assert "Parameters" in header, f"{name}: header must list its parameters (or 'none')"
    assert "Example" in header or "example" in header, f"{name}: header must give an example"


@pytest.mark.parametrize("name", ALL)
def test_query_gives_same_answer_on_rdflib_and_oxigraph(name: str, kg, rdflib_kg) -> None:
    """The file as written (its own example values) runs on both engines with identical results."""
    text = queries.get(name).text
    ordered = "ORDER BY" in text.upper()
    assert _comparable(kg.engine.select(text), ordered) == _comparable(rdflib_kg.engine.select(text), ordered)


# qc/ checks pass with no rows.
ANSWER_FROM_THE_GRAPH_ALONE = [n for n in ALL if not n.startswith("qc/")]


@pytest.mark.parametrize("name", ANSWER_FROM_THE_GRAPH_ALONE)
def test_example_query_returns_rows(name: str, kg) -> None:
    assert kg.engine.select(queries.get(name).text), f"{name}: its example should answer something"


def test_bind_replaces_only_the_parameter_block(kg) -> None:
    query = queries.get("variant_procedures")
    rows = kg.engine.select(queries.bind(query, {"number": 5}))
    assert rows[0]["procedure"] == "Medical management only"
    assert len(rows) == 5


def test_bind_multi_row_parameter(kg) -> None:
    query = queries.get("red_flag_conditions")
    rows = kg.engine.select(queries.bind(query, {"flag": ["fever", "history_of_significant_trauma"]}))
    assert {r["flag"]: r["condition"] for r in rows} == {
        "fever": "Cancer or infection",
        "history_of_significant_trauma": "Spinal fracture",
    }


@pytest.mark.parametrize(
    "hostile",
    ['fever" } } SELECT * WHERE { ?s ?p ?o } #', 'fever"\n}', "x' . ?s ?p ?o", "\\u0022"],
)
def test_user_text_cannot_escape_its_literal(hostile: str, kg) -> None:
    rows = kg.engine.select(queries.bind(queries.get("red_flag_conditions"), {"flag": hostile}))
    assert rows == []


def test_bad_iri_is_rejected() -> None:
    with pytest.raises(InvalidArgumentError, match="not a valid IRI"):
        queries.term(IRI("http://x> } DROP ALL { <y"))


@pytest.mark.parametrize(
    ("params", "message"),
    [({}, "needs parameter 'number'"), ({"number": 1, "other": 2}, "has no parameter 'other'")],
)
def test_bind_checks_parameter_names(params: dict, message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        queries.bind(queries.get("variant_procedures"), params)


def test_multi_variable_parameter_needs_rows_of_the_right_width() -> None:
    with pytest.raises(InvalidArgumentError, match="rows of 2 values"):
        queries.bind(queries.get("sins_score"), {"options": [("pain",)]})


def test_unknown_query_is_a_typed_error() -> None:
    with pytest.raises(UnknownQueryError, match="no_such_query"):
        queries.get("no_such_query")


def test_select_binds_every_parameter_or_says_so(kg) -> None:
    """queries.select never answers from a file's example values unless asked to."""
    with pytest.raises(InvalidArgumentError, match="needs parameter 'number'"):
        queries.select(kg.engine, "variant_procedures")
    with pytest.raises(InvalidArgumentError, match="needs parameter 'number'"):
        kg.query("variant_procedures")
    example = queries.select(kg.engine, "variant_procedures", use_example_values=True)
    assert example == queries.select(kg.engine, "variant_procedures", {"number": 2})
    with pytest.raises(InvalidArgumentError, match="not both"):
        queries.select(kg.engine, "variant_procedures", {"number": 2}, use_example_values=True)


def _embedded(text: str, name: str) -> str:
    begin, end = f"# -- queries/{name}.rq", f"# -- end of queries/{name}.rq --"
    lines = text.split(begin, 1)[1].split(end, 1)[0].splitlines()[1:]
    return "\n".join(line.strip() for line in lines).strip()


@pytest.mark.parametrize("name", ["match_variants", "recommend"])
def test_query_uses_derived_facts_rq_verbatim(name: str) -> None:
    """The patient's facts are materialized by derived_facts.rq, copied into the query as its subquery unchanged,
    so a researcher edits one VALUES block and gets the derived facts vcfkg applies."""
    derived = queries.get("derived_facts").text
    body = derived[derived.index("SELECT") : derived.rindex("ORDER BY")]
    assert (
        _embedded(queries.get(name).text, "derived_facts")
        == "\n".join(line.strip() for line in body.splitlines()).strip()
    )
    assert [p.name for p in queries.get(name).parameters] == ["patient"]
    assert queries.get(name).text.count("# param: patient") == 1


def _body(text: str) -> list[str]:
    """A query's lines after its header comment, stripped, without comment lines."""
    lines = [line.strip() for line in text[text.index("PREFIX") :].splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def test_match_variants_is_match_facts_with_derived_facts_as_its_facts() -> None:
    """match_facts.rq (the SPARQL path's matching query) is match_variants.rq with its derived_facts.rq subquery
    replaced by a subquery of the facts block: the two hold the same matching rules, and an edit to one fails here
    until the other has it."""
    facts = queries.get("match_facts").text
    start = facts.index("SELECT ?fact ?value ?derivedFrom")
    block = facts[start : facts.index("}", facts.index("# param: facts")) + 1]
    block = block + facts[start + len(block) :].split("}", 1)[0] + "}"  # the subquery's WHERE group
    derived = queries.get("derived_facts").text
    subquery = derived[derived.index("SELECT") : derived.rindex("ORDER BY")]
    expected = _body(facts.replace(block, subquery))
    assert _body(queries.get("match_variants").text) == expected
    assert [p.name for p in queries.get("match_facts").parameters] == ["facts"]


def test_match_facts_example_is_the_derived_facts_of_match_variants_example(kg) -> None:
    """Both files, run as written, describe the same patient, so a researcher can compare their answers."""
    derived = kg.query("derived_facts", use_example_values=True)
    example = [p for p in queries.get("match_facts").parameters if p.name == "facts"]
    assert example
    rows = kg.query("match_facts", facts=[(r["fact"], r["value"], r["derivedFrom"]) for r in derived])
    assert rows == kg.query("match_facts", use_example_values=True)
    assert rows == kg.query("match_variants", use_example_values=True)


@pytest.mark.parametrize(
    "patient",
    [
        {"question": "imaging", "new_fracture": True, "worsening_pain": True, "seen_on_radiographs": True},
        {"question": "treatment", "etiology": "pathologic", "sins": {"pain": "mechanical"}},
        {"question": "imaging", "malignancy_history": True, "red_flags": ["fever"]},
    ],
    ids=["worsening-pain", "sins", "red-flag"],
)
def test_match_variants_given_facts_only_gives_vcfkgs_answer(kg, patient: dict) -> None:
    """A researcher who binds only the facts a patient gives (no derived facts) gets vcfkg's statuses and reasons."""
    parsed = kg.parse_patient(patient)
    rows = kg.query("match_variants", patient=kg._given_values(parsed))
    answer = kg.recommend(parsed)
    statuses = {v["variant"]: s for s in ("matched", "possible", "excluded") for v in answer.to_json()[s]}
    assert {row["number"]: row["status"] for row in rows} == statuses
    reasons = {e.variant: e.reason for e in answer.excluded}
    for variant in matching.match_rows(rows):
        if variant.match.status == "excluded":
            assert variant.match.reason == reasons[variant.match.number]
