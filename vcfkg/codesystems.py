"""The terminologies vcfkg links to, and their canonical CURIEs: light enough for the recommendation path.

:mod:`vcfkg.mappings` parses user-given codes (with curies, synonyms and check digits); this module only names
the code systems and writes the graph's canonical code IRIs as CURIEs, which the compiled vocabulary needs for
each procedure's order codes.
"""

from __future__ import annotations

from typing import NamedTuple

from vcfkg import queries
from vcfkg.engines import Engine
from vcfkg.namespace import SKOS


class CodeSystem(NamedTuple):
    """A terminology vcfkg links to; ``prefix`` and ``uri_prefix`` are the ones in the SSSOM ``curie_map``."""

    prefix: str
    name: str
    uri_prefix: str
    local_id: str  # regular expression for the part after the colon
    example: str
    synonyms: tuple[str, ...] = ()  # other CURIE prefixes accepted (compared case-insensitively)
    uri_synonyms: tuple[str, ...] = ()  # other IRI forms accepted


SYSTEMS = (
    CodeSystem(
        "snomedct",
        "SNOMED CT",
        "http://snomed.info/id/",
        r"\d{6,18}",
        "42942008",
        ("sctid", "snomed", "snomed_ct", "snomedct_us", "sct"),
        ("https://snomed.info/id/", "http://purl.bioontology.org/ontology/SNOMEDCT/"),
    ),
    CodeSystem(
        "radlex",
        "RadLex",
        "http://radlex.org/RID/",
        r"RID\d+",
        "RID4658",
        (),
        ("https://radlex.org/RID/", "http://www.radlex.org/RID/", "https://www.radlex.org/RID/"),
    ),
    CodeSystem(
        "loinc",
        "LOINC",
        "https://loinc.org/",
        r"\d{1,7}-\d",
        "36531-2",
        ("lnc",),
        ("http://loinc.org/rdf/", "http://loinc.org/", "http://purl.bioontology.org/ontology/LNC/"),
    ),
    CodeSystem("rpid", "RadLex Playbook", "https://w3id.org/vcfkg-rpid/", r"RPID\d+", "RPID5799"),
    CodeSystem(
        "radelement",
        "RadElement",
        "https://radelement.org/home/sets/set/",
        r"RDES\d+",
        "RDES230",
        (),
        ("https://www.radelement.org/home/sets/set/",),
    ),
)
BY_PREFIX = {system.prefix: system for system in SYSTEMS}


def curie(iri: str) -> str:
    """The canonical CURIE of a code IRI from the graph (the graph uses canonical IRIs only), else the IRI."""
    for system in SYSTEMS:
        if iri.startswith(system.uri_prefix) and len(iri) > len(system.uri_prefix):
            return f"{system.prefix}:{iri[len(system.uri_prefix) :]}"
    return iri


def procedure_codes(engine: Engine) -> dict[str, tuple[str, ...]]:
    """Every rated procedure's order codes by procedure identifier: exact matches first, then close matches."""
    codes: dict[str, list[tuple[bool, str]]] = {}
    query = queries.get("procedure_codes")
    for row in engine.select(query.text):
        entry = codes.setdefault(row["procedureId"], [])
        if row["code"] is not None:
            entry.append((row["predicate"] != SKOS + "exactMatch", curie(row["code"])))
    return {procedure: tuple(code for _, code in sorted(found)) for procedure, found in codes.items()}
