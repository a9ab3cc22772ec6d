"""vcfkg's IRIs, defined once: the namespace, the ontology and shapes IRIs, and the prefixes vcfkg writes.

The strings are plain ``str`` so the fast paths (the CLI, the compiled recommendation) use them without
importing rdflib. ``VCF`` is the closed rdflib namespace of the vcfkg terms Python code names directly
(``_fail = True``: a misspelt term is an error, not a new IRI); it is built on first use, which imports
rdflib, and ``tests/test_namespace.py`` checks every term in it against the ontology.

>>> from vcfkg.namespace import VCF
>>> str(VCF.PatientDescription)
'https://w3id.org/vcfkg/PatientDescription'
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib.namespace import DefinedNamespace

VCF_IRI = "https://w3id.org/vcfkg/"
ONTOLOGY_IRI = VCF_IRI + "ontology"
SHAPES_IRI = VCF_IRI + "shapes/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"

# Prefixes used to write IRIs as CURIEs (reports, the CLI's ``vcf:NAME`` parameters).
PREFIXES = {
    "vcf": VCF_IRI,
    "vcfsh": SHAPES_IRI,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "sh": SH,
}


@lru_cache(maxsize=1)
def _defined_namespace() -> type[DefinedNamespace]:
    from rdflib import URIRef
    from rdflib.namespace import DefinedNamespace, Namespace

    class VCF(DefinedNamespace):
        """The vcfkg terms Python code refers to by name; everything else is reached through the queries."""

        _NS = Namespace(VCF_IRI)
        _fail = True
        _extras = ["ontology"]  # noqa: RUF012  # the ontology's own IRI, not a term it declares

        PatientDescription: URIRef

    return VCF


def __getattr__(name: str) -> type[DefinedNamespace]:
    """``VCF`` is built on first use, so importing this module does not import rdflib."""
    if name == "VCF":
        return _defined_namespace()
    raise AttributeError(f"module 'vcfkg.namespace' has no attribute {name!r}")
