"""The ontology header carries what FAIR checkers (FOOPS!, MIRO) look for, and CITATION.cff agrees with it."""

from __future__ import annotations

import datetime
import re
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest
import rdflib
import yaml
from rdflib import DCAT, DCTERMS, OWL, RDF, RDFS, XSD, Literal, URIRef

from vcfkg.resources import ontology_path

ROOT = Path(__file__).parent.parent.parent
VCF = rdflib.Namespace("https://w3id.org/vcfkg/")
VANN = rdflib.Namespace("http://purl.org/vocab/vann/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
ONTOLOGY = VCF.ontology
ACR_LIST_URL = URIRef("https://acsearch.acr.org/list")  # the URL the guideline's text names for its evidence

# (property, what its value must be, how many values at least)
HEADER = [
    (DCTERMS.title, "english", 1),
    (DCTERMS.description, "english", 1),
    (RDFS.label, "english", 1),
    (DCTERMS.license, "iri", 1),
    (DCTERMS.rights, "english", 1),
    (DCTERMS.creator, "english", 1),
    (DCTERMS.publisher, "english", 1),
    (DCTERMS.created, "date", 1),
    (DCTERMS.issued, "date", 1),
    (DCTERMS.modified, "date", 1),
    (DCTERMS.bibliographicCitation, "english", 1),
    (OWL.versionIRI, "iri", 1),
    (OWL.versionInfo, "string", 1),
    (VANN.preferredNamespacePrefix, "string", 1),
    (VANN.preferredNamespaceUri, "string", 1),
    (DCAT.keyword, "english", 3),
    (DCTERMS.source, "iri", 2),
    (PROV.wasDerivedFrom, "iri", 2),
]


@lru_cache(maxsize=1)
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_path(), format="turtle")


def citation_file() -> dict[str, object]:
    loaded = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def header_value(prop: URIRef) -> rdflib.term.Node:
    values = list(graph().objects(ONTOLOGY, prop))
    assert len(values) == 1, f"{prop}: expected one value on the ontology header, found {len(values)}"
    return values[0]


def test_one_ontology_header() -> None:
    assert list(graph().subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY]


@pytest.mark.parametrize(("prop", "kind", "least"), HEADER, ids=[str(row[0]).rsplit("/", 1)[-1] for row in HEADER])
def test_header_has(prop: URIRef, kind: str, least: int) -> None:
    values = list(graph().objects(ONTOLOGY, prop))
    assert len(values) >= least, f"the ontology header needs {least} {prop}, has {len(values)}"
    for value in values:
        if kind == "iri":
            assert isinstance(value, URIRef), f"{prop} {value!r} is not an IRI"
        else:
            assert isinstance(value, Literal) and str(value).strip(), f"{prop} {value!r} is not a non-empty literal"
        if kind == "english":
            assert value.language == "en", f"{prop} {value!r} has no @en tag"
        if kind == "date":
            assert value.datatype == XSD.date, f"{prop} {value!r} is not an xsd:date"
            assert isinstance(value.toPython(), datetime.date)


def test_label_is_the_title() -> None:
    """Documentation tools (pyLODE) take either as the page title; they must not disagree."""
    assert header_value(RDFS.label) == header_value(DCTERMS.title)


def test_dates_are_in_order() -> None:
    created, issued, modified = (
        header_value(p).toPython() for p in (DCTERMS.created, DCTERMS.issued, DCTERMS.modified)
    )
    assert created <= issued <= modified


def test_version_iri_names_the_version_and_the_citation_cites_it() -> None:
    version = str(header_value(OWL.versionInfo))
    assert str(header_value(OWL.versionIRI)) == f"https://w3id.org/vcfkg/{version}/ontology"
    citation = str(header_value(DCTERMS.bibliographicCitation))
    assert f"version {version}" in citation and str(ONTOLOGY) in citation


def test_preferred_prefix_and_namespace_are_the_ones_in_use() -> None:
    prefix = str(header_value(VANN.preferredNamespacePrefix))
    namespace = str(header_value(VANN.preferredNamespaceUri))
    assert (prefix, namespace) == ("vcf", str(VCF))
    assert dict(graph().namespaces())[prefix] == URIRef(namespace)


def test_sources_are_the_provenance_entities() -> None:
    sources = set(graph().objects(ONTOLOGY, DCTERMS.source))
    assert len(sources) >= 2 and sources == set(graph().objects(ONTOLOGY, PROV.wasDerivedFrom))  # ACR and SINS
    for source in sources:
        assert (source, RDF.type, PROV.Entity) in graph()
        assert graph().value(source, DCTERMS.bibliographicCitation) is not None, f"{source} has no citation"


def test_acr_source_has_its_url() -> None:
    acr = VCF["acr-ac-vcf-2022"]
    assert (acr, RDFS.seeAlso, ACR_LIST_URL) in graph()
    assert str(ACR_LIST_URL) in str(graph().value(acr, DCTERMS.bibliographicCitation))


def test_fisher_2010_has_its_doi() -> None:
    fisher = VCF["fisher-2010-sins"]
    links = [str(o) for o in graph().objects(fisher, RDFS.seeAlso)]
    dois = [link.removeprefix("https://doi.org/") for link in links if link.startswith("https://doi.org/")]
    assert dois == ["10.1097/BRS.0b013e3181e16ae2"]
    citation = str(graph().value(fisher, DCTERMS.bibliographicCitation))
    assert f"doi:{dois[0]}" in citation and "2010;35(22):E1221" in citation


def test_annotation_properties_of_the_header_are_declared() -> None:
    """OWL 2 DL needs every annotation property declared; the profile check (test_owl.py) also sees it."""
    for prop, _, _ in HEADER:
        if prop in (RDFS.label, OWL.versionIRI, OWL.versionInfo):
            continue  # built in
        assert (prop, RDF.type, OWL.AnnotationProperty) in graph(), f"{prop} is not declared"


def test_citation_cff_agrees_with_the_header_and_the_package() -> None:
    cff = citation_file()
    for key in ("cff-version", "message", "title", "authors", "version", "date-released", "license", "references"):
        assert key in cff, f"CITATION.cff: no {key}"
    assert cff["title"] == str(header_value(DCTERMS.title))
    assert str(cff["date-released"]) == str(header_value(DCTERMS.modified))  # this version's date
    assert cff["authors"] == [{"name": str(header_value(DCTERMS.creator))}]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["version"] == project["version"]
    assert cff["license"] == project["license"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(cff["cff-version"]))


def test_citation_cff_references_are_the_graph_sources() -> None:
    references = citation_file()["references"]
    assert isinstance(references, list)
    by_type = {reference["type"]: reference for reference in references}
    assert by_type["report"]["url"] == str(ACR_LIST_URL)
    fisher_links = {str(o) for o in graph().objects(VCF["fisher-2010-sins"], RDFS.seeAlso)}
    assert f"https://doi.org/{by_type['article']['doi']}" in fisher_links
