"""The code systems vcfkg knows: canonical CURIEs of the graph's code IRIs, and each procedure's order codes
(exact matches first, then close matches) as the SSSOM mapping set lists them."""

from __future__ import annotations

import re

import pytest
import rdflib
from support import read_sssom

from vcfkg.codesystems import BY_PREFIX, SYSTEMS, curie, procedure_codes
from vcfkg.engines import RdflibEngine
from vcfkg.resources import ontology_path

VCF = "https://w3id.org/vcfkg/"
ORDER = ("skos:exactMatch", "skos:closeMatch")  # the links that let a code stand for a term


def _procedure_identifiers() -> dict[str, str]:
    """Each rated procedure of the graph as its SSSOM subject (vcf:local-name) -> its identifier."""
    graph = rdflib.Graph().parse(ontology_path())
    rows = graph.query(
        "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "PREFIX vcf: <https://w3id.org/vcfkg/> "
        "SELECT DISTINCT ?t ?i WHERE { ?t a/rdfs:subClassOf* vcf:Procedure ; dcterms:identifier ?i }"
    )
    return {"vcf:" + str(t)[len(VCF) :]: str(i) for t, i in rows}


@pytest.mark.parametrize("system", SYSTEMS, ids=lambda system: system.prefix)
def test_each_system_reads_back_its_own_iri_as_its_curie(system) -> None:
    assert BY_PREFIX[system.prefix] is system
    assert curie(system.uri_prefix + system.example) == f"{system.prefix}:{system.example}"
    assert re.fullmatch(system.local_id, system.example)


def test_an_iri_of_no_known_system_is_left_as_it_is() -> None:
    assert curie("http://example.org/code/1") == "http://example.org/code/1"
    assert curie(BY_PREFIX["loinc"].uri_prefix) == BY_PREFIX["loinc"].uri_prefix  # a prefix alone is no code


def test_procedure_codes_are_the_exact_then_close_matches(kg) -> None:
    identifiers = _procedure_identifiers()
    expected: dict[str, list[tuple[int, str]]] = {identifier: [] for identifier in identifiers.values()}
    for row in read_sssom()[1]:
        if row["predicate_id"] in ORDER and row["subject_id"] in identifiers:
            expected[identifiers[row["subject_id"]]].append((ORDER.index(row["predicate_id"]), row["object_id"]))
    codes = procedure_codes(kg.engine)
    assert codes == {p: tuple(code for _, code in sorted(found)) for p, found in expected.items()}
    assert codes["mri_spine_without_iv_contrast"][:2] == ("loinc:36531-2", "rpid:RPID5799")
    assert procedure_codes(kg.engine) == procedure_codes(RdflibEngine(rdflib.Graph().parse(ontology_path())))
