"""The schema can be read from the graph: every property states its domain and range, the data keeps to them,
and every individual carries its types up the class chain, so a query without reasoning sees them."""

from __future__ import annotations

from functools import lru_cache

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, XSD, BNode, Literal, URIRef

from vcfkg.resources import ontology_path

VCF = "https://w3id.org/vcfkg/"
DOMAIN_INCLUDES = URIRef("https://schema.org/domainIncludes")
PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@lru_cache(maxsize=1)
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_path(), format="turtle")


def ours(node: rdflib.term.Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(VCF)


def properties() -> list[URIRef]:
    return sorted({p for kind in PROPERTY_KINDS for p in graph().subjects(RDF.type, kind) if ours(p)})  # type: ignore[misc]


def individuals() -> list[URIRef]:
    return sorted({s for s, t in graph().subject_objects(RDF.type) if ours(s) and ours(t)})  # type: ignore[misc]


def superclasses(cls: rdflib.term.Node) -> set[rdflib.term.Node]:
    """Named superclasses of ``cls`` in the vcf namespace, transitively."""
    found: set[rdflib.term.Node] = set()
    todo = [cls]
    while todo:
        for upper in graph().objects(todo.pop(), RDFS.subClassOf):
            if ours(upper) and upper not in found:
                found.add(upper)
                todo.append(upper)
    return found


def domains(prop: URIRef) -> set[rdflib.term.Node]:
    return set(graph().objects(prop, RDFS.domain)) | set(graph().objects(prop, DOMAIN_INCLUDES))


def local(node: rdflib.term.Node) -> str:
    return str(node).removeprefix(VCF)


@pytest.mark.parametrize("prop", properties(), ids=local)
def test_property_states_domain_and_range(prop: URIRef) -> None:
    strict, included = list(graph().objects(prop, RDFS.domain)), list(graph().objects(prop, DOMAIN_INCLUDES))
    assert (len(strict) == 1) != bool(included), f"{local(prop)}: one rdfs:domain, or schema:domainIncludes"
    assert len(included) != 1, f"{local(prop)}: a single schema:domainIncludes should be an rdfs:domain"
    assert len(list(graph().objects(prop, RDFS.range))) == 1, f"{local(prop)}: needs one rdfs:range"


@pytest.mark.parametrize("prop", properties(), ids=local)
def test_data_keeps_to_domain_and_range(prop: URIRef) -> None:
    allowed = domains(prop)
    value_range = graph().value(prop, RDFS.range)
    for subject, value in graph().subject_objects(prop):
        if isinstance(subject, BNode):
            continue
        types = set(graph().objects(subject, RDF.type))
        assert RDFS.Resource in allowed or types & allowed, (
            f"{local(subject)} {local(prop)}: typed {types}, none of {allowed}"
        )
        if value_range == RDFS.Resource:  # a boolean or a node, e.g. vcf:ifValue
            assert isinstance(value, Literal) or ours(value), f"{local(subject)} {local(prop)} {value!r}"
        elif isinstance(value, Literal):
            datatype = RDF.langString if value.language else (value.datatype or XSD.string)
            assert datatype == value_range, f"{local(subject)} {local(prop)} {value!r}: not {value_range}"
        elif value_range == OWL.Class:
            assert (value, RDF.type, OWL.Class) in graph(), f"{local(subject)} {local(prop)} {value}: not a class"
        elif value_range == RDF.Property:
            assert any((value, RDF.type, kind) in graph() for kind in PROPERTY_KINDS)
        else:
            assert (value, RDF.type, value_range) in graph(), f"{local(subject)} {local(prop)} {local(value)}"


@pytest.mark.parametrize("individual", individuals(), ids=local)
def test_types_are_asserted_up_the_class_chain(individual: URIRef) -> None:
    types = {t for t in graph().objects(individual, RDF.type) if ours(t)}
    implied = set().union(*(superclasses(t) for t in types))
    assert implied <= types, f"{local(individual)}: also assert rdf:type {sorted(map(local, implied - types))}"


@pytest.mark.parametrize("individual", individuals(), ids=local)
def test_one_most_specific_class(individual: URIRef) -> None:
    types = {t for t in graph().objects(individual, RDF.type) if ours(t)}
    most_specific = {t for t in types if not any(t in superclasses(other) for other in types)}
    assert len(most_specific) == 1, f"{local(individual)}: most specific classes {sorted(map(local, most_specific))}"
