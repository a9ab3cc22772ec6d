"""The two embedded SPARQL engines behind one interface: the same plain Python values for the same literals,
IRIs marked as such, unbound variables as None, and the same triples dumped."""

from __future__ import annotations

from pathlib import Path

import pytest

from vcfkg.engines import IRI, OxigraphEngine, RdflibEngine, literal_value
from vcfkg.errors import GraphLoadError
from vcfkg.namespace import XSD

DATA = """\
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:flag true ; ex:one "1"^^xsd:boolean ; ex:count 42 ; ex:small "7"^^xsd:unsignedByte ;
  ex:ratio 2.5 ; ex:big 1.0e3 ; ex:name "fever"@en ; ex:when "2022-01-01"^^xsd:date ; ex:next ex:b .
"""
QUERY = """PREFIX ex: <http://example.org/>
SELECT ?p ?o ?missing WHERE { ex:a ?p ?o OPTIONAL { ?o ex:nothing ?missing } } ORDER BY ?p"""
EXPECTED = {
    "big": 1000.0,
    "count": 42,
    "flag": True,
    "name": "fever",
    "next": IRI("http://example.org/b"),
    "one": True,
    "ratio": 2.5,
    "small": 7,
    "when": "2022-01-01",
}


@pytest.fixture(params=[OxigraphEngine, RdflibEngine], ids=["oxigraph", "rdflib"])
def engine(request: pytest.FixtureRequest, tmp_path: Path):
    path = tmp_path / "data.ttl"
    path.write_text(DATA, encoding="utf-8")
    return request.param.from_files([path])


def test_values_are_plain_python_and_alike_on_both_engines(engine) -> None:
    rows = engine.select(QUERY)
    got = {row["p"].removeprefix("http://example.org/"): row["o"] for row in rows}
    assert got == EXPECTED
    assert {type(v) for v in got.values()} == {float, int, bool, str, IRI}
    assert isinstance(got["next"], IRI) and not isinstance(got["name"], IRI)
    assert all(row["missing"] is None for row in rows)


def test_dump_gives_every_triple_as_n_triples(engine) -> None:
    lines = engine.dump().decode().strip().splitlines()
    assert len(lines) == len(EXPECTED) and all(line.endswith(" .") for line in lines)


@pytest.mark.parametrize(
    ("lexical", "datatype", "value"),
    [
        ("true", "boolean", True),
        ("0", "boolean", False),
        ("-3", "integer", -3),
        ("3", "nonNegativeInteger", 3),
        ("0.5", "decimal", 0.5),
        ("1E2", "double", 100.0),
        ("T12", "string", "T12"),
    ],
)
def test_literal_value(lexical: str, datatype: str, value: object) -> None:
    converted = literal_value(lexical, XSD + datatype)
    assert converted == value and type(converted) is type(value)


def test_iri_repr_says_it_is_an_iri() -> None:
    assert repr(IRI("http://example.org/a")) == "IRI('http://example.org/a')"
    assert IRI("http://example.org/a") == "http://example.org/a"


@pytest.mark.parametrize("engine_type", [OxigraphEngine, RdflibEngine], ids=["oxigraph", "rdflib"])
def test_an_unparsable_file_is_a_graph_load_error(engine_type, tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix broken", encoding="utf-8")
    with pytest.raises(GraphLoadError, match=r"broken\.ttl"):
        engine_type.from_files([path])
