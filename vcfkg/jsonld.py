"""Patient descriptions as JSON-LD: the context that turns a patient JSON into RDF with the patient vocabulary.

The context maps each key of a patient description to its property, each allowed value (question, etiology, red
flag, SINS option, vertebral level) to its individual, each measurement (``kyphosis_percent``, ...) to its
property, and the ``sins`` and ``measurements`` objects to statements about the patient itself (``@nest``). It is
generated from the graph by ``queries/vocabulary/patient_rdf.rq``, shipped as ``contexts/patient.context.jsonld``
(``python -m vcfkg.jsonld`` rewrites it; a test keeps it equal to what the graph gives) and named by
:data:`CONTEXT_IRI`. vcfkg never fetches that IRI: a document whose ``@context`` is :data:`CONTEXT_IRI` is read
with the shipped file, and its top object is the patient description (typed ``vcf:PatientDescription`` when it has
no ``@type``), so ``{"@context": CONTEXT_IRI, ...patient JSON...}`` saved as
``.jsonld`` is the same patient for ``vcfkg recommend``, ``classify`` and ``validate``.

A key outside the vocabulary is not dropped, as JSON-LD would do with an undefined term: ``@vocab`` turns it into
an IRI under :data:`UNKNOWN_KEYS`, which the RDF patient reader refuses by name.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vcfkg.measurements import FIELD
from vcfkg.namespace import VCF_IRI
from vcfkg.resources import contexts_dir

if TYPE_CHECKING:
    from vcfkg.kg import KnowledgeGraph

CONTEXT_IRI = VCF_IRI + "patient.context.jsonld"
CONTEXT_FILE = "patient.context.jsonld"
UNKNOWN_KEYS = VCF_IRI + "patient-key/"
PATIENT_TYPE = "vcf:PatientDescription"
Json = dict[str, Any]


def _compact(iri: str) -> str:
    return "vcf:" + iri[len(VCF_IRI) :] if iri.startswith(VCF_IRI) else iri


def generate(kg: KnowledgeGraph) -> Json:
    """The patient context, read from ``kg``'s patient vocabulary (one term per key, one per allowed value)."""
    properties: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}  # term -> value identifier -> individual
    for row in kg.query("vocabulary/patient_rdf"):
        key, prop = row["key"], _compact(str(row["property"]))
        term = (row["component"] or key) if key == "sins" else key
        properties[term] = prop
        if row["individual"] is not None:
            values.setdefault(term, {})[row["value"]] = _compact(str(row["individual"]))
    context: Json = {"@version": 1.1, "vcf": VCF_IRI, "@vocab": UNKNOWN_KEYS, "sins": "@nest", FIELD: "@nest"}
    for term in sorted(properties):
        if term in values:
            scoped = dict(sorted(values[term].items()))
            context[term] = {"@id": properties[term], "@type": "@vocab", "@context": scoped}
        else:
            context[term] = {"@id": properties[term]}
    return {"@context": context}


def context_path() -> Path:
    """The shipped context file."""
    return contexts_dir() / CONTEXT_FILE


def shipped_context() -> Json:
    """The shipped context's ``@context`` object."""
    data: Json = json.loads(context_path().read_text(encoding="utf-8"))
    return dict(data["@context"])


def dumps(context: Json) -> str:
    """The context file's text (stable: two-space indent, keys in the generated order, final newline)."""
    return json.dumps(context, indent=2, ensure_ascii=False) + "\n"


def resolve(content: bytes) -> bytes:
    """A JSON-LD document with vcfkg's patient context put in place of :data:`CONTEXT_IRI` (no network).

    A document that does not name the context is returned unchanged, as is text that is not JSON (the JSON-LD
    parser then reports it).
    """
    try:
        document = json.loads(content)
    except (ValueError, RecursionError):
        return content
    if not isinstance(document, dict):
        return content
    given = document.get("@context")
    names = given if isinstance(given, list) else [given]
    if CONTEXT_IRI not in names:
        return content
    context = shipped_context()
    if isinstance(given, list):
        document["@context"] = [context if name == CONTEXT_IRI else name for name in given]
    else:
        document["@context"] = context
    if "@type" not in document and "@graph" not in document:
        document["@type"] = PATIENT_TYPE
    return json.dumps(document).encode("utf-8")


def main() -> int:
    """``python -m vcfkg.jsonld``: rewrite the shipped context from the shipped graph."""
    from vcfkg.kg import load

    path = context_path()
    text = dumps(generate(load()))
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        print(f"{path}: up to date")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"{path}: written from the graph")
    return 0


if __name__ == "__main__":
    sys.exit(main())
