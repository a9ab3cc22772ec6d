"""Every shipped query: documented, standard SPARQL 1.1, same answers on rdflib and pyoxigraph; safe binding."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
import support
from rdflib.namespace import RDF

import vcfkg
from vcfkg import matching, queries
from vcfkg.engines import IRI
from vcfkg.errors import InvalidArgumentError, UnknownQueryError
from vcfkg.resources import ontology_path

ALL = sorted(queries.registry())
VCF = support.VCF


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


# -- derived_facts.rq follows derivation chains of a fixed depth: a guard against a longer chain in the graph ---
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five")


def _derivation_depth(text: str) -> int:
    """How many derivations one after another the query follows, read from its structure: the most
    ``?step a vcf:Derivation`` patterns in one branch of a UNION (branch 0: given facts; 1: one step; 2: a step
    from a step's result, ...)."""
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    def nodes(node: object) -> Iterator[CompValue]:
        if isinstance(node, CompValue):
            yield node
            for value in node.values():
                yield from nodes(value)
        elif isinstance(node, list | tuple):
            for value in node:
                yield from nodes(value)

    def branches(union: CompValue) -> Iterator[CompValue]:
        for side in (union.p1, union.p2):
            yield from branches(side) if side.name == "Union" else [side]

    def derivations(branch: CompValue) -> int:
        bgps = (n for n in nodes(branch) if n.name == "BGP")
        return sum(1 for bgp in bgps for _, p, o in bgp.triples if (p, o) == (RDF.type, VCF.Derivation))

    algebra = prepareQuery(text).algebra
    return max(derivations(b) for union in nodes(algebra) if union.name == "Union" for b in branches(union))


def test_derived_facts_header_states_the_depth_it_follows() -> None:
    text = queries.get("derived_facts").text
    depth = _derivation_depth(text)
    assert depth == 2
    assert f"Derivations are followed up to {NUMBER_WORDS[depth]} steps" in text


def _too_long_chain(graph_path: Path) -> str | None:
    """What is wrong when the graph has a derivation chain longer than derived_facts.rq follows (and so longer than
    match_variants.rq and recommend.rq, which embed it, follow); None when nothing is."""
    longest = support.longest_chain(rdflib.Graph().parse(graph_path))
    supported = _derivation_depth(queries.get("derived_facts").text)
    if longest <= supported:
        return None
    return (
        f"{graph_path.name} chains {longest} derivations, queries/derived_facts.rq follows {supported}: add a "
        f"UNION branch of {longest} steps to it (and copy it into match_variants.rq and recommend.rq)"
    )


def test_graph_derivation_chains_are_no_longer_than_derived_facts_follows() -> None:
    assert _too_long_chain(ontology_path()) is None
    assert support.longest_chain(rdflib.Graph().parse(ontology_path())) == 2  # sins.pain ⇒ mechanical_pain ⇒ ...


def test_a_three_step_chain_is_caught_by_the_guard(tmp_path: Path) -> None:
    """A copy with "symptomatic ⇒ new_back_pain" (SINS mechanical pain ⇒ mechanical pain ⇒ symptomatic ⇒ new back
    pain) fails the guard; and the guard is right: derived_facts.rq misses the third step the fixed point finds."""
    graph = rdflib.Graph().parse(ontology_path())
    rule = VCF["derivation-test-symptomatic-new-back-pain"]
    graph.add((rule, RDF.type, VCF.Derivation))
    graph.add((rule, VCF.ifFact, VCF.symptomatic))
    graph.add((rule, VCF.ifValue, rdflib.Literal(True)))
    graph.add((rule, VCF.thenFact, VCF.newBackPain))
    graph.add((rule, VCF.thenValue, rdflib.Literal(True)))
    copy = tmp_path / "vcf-three-steps.ttl"
    graph.serialize(copy, format="turtle")

    problem = _too_long_chain(copy)
    assert problem is not None and "chains 3 derivations, queries/derived_facts.rq follows 2" in problem
    assert support.derive({"sins": {"pain": "mechanical"}}, support.derivation_rules(copy))["new_back_pain"] is True
    rows = vcfkg.load(copy).query("derived_facts", patient=[(IRI(VCF.hasSinsOption), IRI(VCF["sins-pain-mechanical"]))])
    derived = {row["fact"].removeprefix(str(VCF)) for row in rows}
    assert {"mechanicalPain", "symptomatic"} <= derived and "newBackPain" not in derived
