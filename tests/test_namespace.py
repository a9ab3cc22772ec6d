"""vcfkg.namespace: the IRIs are defined once, and the closed namespace names only terms the ontology declares."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF

from vcfkg import namespace
from vcfkg.namespace import ONTOLOGY_IRI, PREFIXES, VCF
from vcfkg.resources import ontology_path

PACKAGE = Path(namespace.__file__).parent


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_path())


@pytest.mark.parametrize("term", sorted(VCF.__annotations__))
def test_every_term_of_the_closed_namespace_is_declared_in_the_ontology(graph: rdflib.Graph, term: str) -> None:
    assert (VCF[term], RDF.type, None) in graph, f"vcf:{term} is named in vcfkg.namespace but not declared"


def test_the_namespace_is_closed() -> None:
    with pytest.raises(AttributeError, match="not in namespace"):
        VCF.PatientDescriptoin  # noqa: B018


def test_ontology_iri_and_prefixes_match_the_graph(graph: rdflib.Graph) -> None:
    assert (rdflib.URIRef(ONTOLOGY_IRI), RDF.type, rdflib.OWL.Ontology) in graph
    declared = {prefix: str(iri) for prefix, iri in graph.namespaces()}
    shared = set(PREFIXES) & set(declared)
    assert {"vcf", "skos", "dcterms", "prov"} <= shared  # so the comparison below compares something
    for prefix in shared:
        assert declared[prefix] == PREFIXES[prefix], prefix


def test_no_other_module_spells_a_namespace() -> None:
    """Every namespace IRI is written in vcfkg/namespace.py only (terminology IRIs of code systems aside)."""
    spelled = re.compile("|".join(re.escape(f'"{iri}') for iri in PREFIXES.values()))
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(PACKAGE.glob("*.py"))
        if path.name != "namespace.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if spelled.search(line)
    ]
    assert offenders == []


def test_importing_the_module_does_not_import_rdflib() -> None:
    code = "import sys, vcfkg.namespace as n; n.VCF_IRI; print('rdflib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
