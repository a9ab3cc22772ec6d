"""Patient descriptions written in RDF (Turtle, N-Triples, JSON-LD, RDF/XML) with the graph's patient vocabulary.

A patient file is data, never vocabulary. It is parsed into a graph of its own, and its statements are read
against the patient vocabulary of the *loaded* knowledge graph (``queries/vocabulary/patient_rdf.rq``): the
file cannot define or redefine a term, and whatever it says about anything but its one patient is refused.
Every statement about the patient must use a property of that vocabulary with the right kind of value: a
well-formed literal of the property's datatype (``"yes"^^xsd:boolean`` is an error, ``" true "`` is true), or an
individual of the property's range named by its IRI (a string ``"imaging"`` is an error). A measurement (a
property a ``vcf:DeformityThreshold`` compares, range ``xsd:decimal``) takes any numeric literal, since JSON-LD writes
JSON numbers as ``xsd:integer`` or ``xsd:double``; it is read into the ``measurements`` object. ``recommend``,
``classify`` and ``validate`` all read patients here, so they cannot disagree about one.

Untrusted sizes are bounded: files over :data:`MAX_BYTES` are refused, and RDF/XML with a document type
declaration is refused (its entities could expand a small file into gigabytes; XML entity expansion is off).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from vcfkg import measurements
from vcfkg.errors import GraphLoadError, InvalidPatientError
from vcfkg.formats import oxigraph_format
from vcfkg.namespace import OWL, RDF, RDFS, VCF_IRI, XSD

if TYPE_CHECKING:
    import pyoxigraph

    from vcfkg.kg import KnowledgeGraph

MAX_BYTES = 1024 * 1024  # a patient file is a few hundred bytes
MAX_DIGITS = 100  # of a numeric literal
RDF_TYPE = RDF + "type"
PATIENT_CLASS = VCF_IRI + "PatientDescription"
ANNOTATIONS = frozenset(  # said of a patient, and ignored
    {RDFS + "label", RDFS + "comment"}
)
ALLOWED_TYPES = frozenset({PATIENT_CLASS, OWL + "NamedIndividual"})
# XML Schema lexical forms, after the whitespace collapse the datatypes ask for.
LEXICAL = {
    XSD + "boolean": re.compile(r"true|false|1|0"),
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"),
    XSD + "double": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN"),
}
LEXICAL[XSD + "float"] = LEXICAL[XSD + "double"]
# A property of range xsd:decimal takes any of these (JSON-LD writes the number 15 as xsd:integer, 15.5 as xsd:double).
NUMBERS = (XSD + "integer", XSD + "decimal", XSD + "double", XSD + "float")


@dataclass(frozen=True)
class Vocabulary:
    """The patient vocabulary of one knowledge graph: properties by IRI, and the individuals each may point to."""

    keys: dict[str, str] = field(default_factory=dict)  # property IRI -> JSON key
    measured: frozenset[str] = frozenset()  # the keys of measurements (JSON: under "measurements")
    ranges: dict[str, str] = field(default_factory=dict)  # property IRI -> range (a datatype or a class)
    individuals: dict[str, dict[str, tuple[str, str | None]]] = field(default_factory=dict)
    # property IRI -> individual IRI -> (identifier, SINS component or None)

    @classmethod
    def of(cls, kg: KnowledgeGraph) -> Vocabulary:
        """Read from the knowledge graph, keeping only the keys its compiled vocabulary knows as patient keys."""
        compiled = kg.compiled
        measured = frozenset(t.field for t in compiled.deformity_thresholds)
        known = {*compiled.boolean_facts, *compiled.object_facts, "red_flags", "sins", "level", *measured}
        vocabulary = cls(measured=measured)
        for row in kg.query("vocabulary/patient_rdf"):
            key, iri = row["key"], str(row["property"])
            if key not in known or compiled.fact_properties.get(key, iri) != iri:
                continue
            vocabulary.keys[iri] = key
            vocabulary.ranges[iri] = str(row["range"])
            if row["individual"] is not None:
                vocabulary.individuals.setdefault(iri, {})[str(row["individual"])] = (row["value"], row["component"])
        return vocabulary


def parse_file(path: Path) -> list[pyoxigraph.Triple]:
    """The statements of an RDF file, read alone (never into the vcfkg graph), with its size bounded."""
    import pyoxigraph

    rdf_format = oxigraph_format(path)
    try:
        with path.open("rb") as handle:
            content = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise GraphLoadError(f"{path}: no such file") from None
    except OSError as error:
        raise GraphLoadError(f"{path}: cannot read: {error.strerror or error}") from None
    except ValueError:  # a NUL byte in the path
        raise GraphLoadError(f"{path!r}: not a file name (it contains a NUL byte)") from None
    if len(content) > MAX_BYTES:
        raise GraphLoadError(f"{path}: larger than {MAX_BYTES:,} bytes; a patient description is a few hundred")
    if rdf_format == pyoxigraph.RdfFormat.RDF_XML:
        refuse_xml_entities(path, content)
    if rdf_format == pyoxigraph.RdfFormat.JSON_LD:  # vcfkg's patient context is read from the shipped file
        from vcfkg.jsonld import resolve

        content = resolve(content)
    base = Path(os.path.abspath(path)).as_uri()
    try:
        return list(pyoxigraph.parse(content, format=rdf_format, base_iri=base))
    except (SyntaxError, ValueError, OSError) as error:
        problem = str(error).splitlines()[0] if str(error) else "syntax error"
        if "LoadDocumentCallback" in problem:
            problem = "remote JSON-LD contexts are not fetched; put the @context in the file"
        raise GraphLoadError(f"{path}: not valid {rdf_format.name}: {problem}") from None


def refuse_xml_entities(path: Path, content: bytes) -> None:
    """RDF/XML with a document type declaration is refused: its entities could expand a few bytes into gigabytes
    (XML entity expansion is off)."""
    if re.search(rb"<!DOCTYPE|<!ENTITY", content, re.IGNORECASE):
        raise GraphLoadError(
            f"{path}: RDF/XML with a document type declaration (<!DOCTYPE or <!ENTITY) is not read, "
            "because XML entity expansion is off; write the IRIs out in full, or use Turtle or JSON-LD"
        )


def _show(term: Any) -> str:
    text = str(term)
    return text if len(text) <= 120 else text[:120] + "…"


def _literal(key: str, term: Any, datatype: str) -> bool | int | float | str:
    """A literal's value if it is a well-formed literal of ``datatype``; else InvalidPatientError."""
    import pyoxigraph

    numeric = datatype == XSD + "decimal"
    wanted = (
        f"a number (a literal of type {', '.join(map(_curie, NUMBERS))})"
        if numeric
        else f"a literal of type {_curie(datatype)}"
    )
    if not isinstance(term, pyoxigraph.Literal):
        raise InvalidPatientError(key, f"must be {wanted}, got the node {_show(term)}")
    if numeric and term.datatype.value in NUMBERS:
        datatype = term.datatype.value
    if term.datatype.value != datatype:
        raise InvalidPatientError(key, f"must be {wanted}, got {_show(term)}")
    lexical = " ".join(term.value.split())  # the whitespace collapse of XML Schema
    pattern = LEXICAL.get(datatype)
    if pattern is not None and not pattern.fullmatch(lexical):
        raise InvalidPatientError(key, f"{_show(term)} is not a valid {_curie(datatype)}")
    if datatype == XSD + "boolean":
        return lexical in ("true", "1")
    if datatype in (XSD + "integer", XSD + "decimal") and len(lexical) > MAX_DIGITS:
        raise InvalidPatientError(key, f"a number of {len(lexical):,} digits; at most {MAX_DIGITS} are accepted")
    if datatype == XSD + "integer":
        return int(lexical)
    if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
        try:
            return float(Decimal(lexical.replace("INF", "Infinity")))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise InvalidPatientError(key, f"{_show(term)} is not a number") from None
    return term.value


def _curie(iri: str) -> str:
    for prefix, namespace in (("xsd", XSD), ("vcf", VCF_IRI)):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def patients(triples: Sequence[pyoxigraph.Triple]) -> list[str]:
    """The nodes the statements type as ``vcf:PatientDescription`` (as N-Triples terms), sorted."""
    patient_class = _node(PATIENT_CLASS)
    return sorted({str(t.subject) for t in triples if t.predicate.value == RDF_TYPE and t.object == patient_class})


def read_patient_rdf(path: Path, kg: KnowledgeGraph) -> dict[str, Any]:
    """The one ``vcf:PatientDescription`` of an RDF file as a JSON patient description (not yet validated).

    The file is read against ``kg``'s patient vocabulary; anything else in it is an error naming the property
    or node (:class:`~vcfkg.errors.InvalidPatientError`), and a file that cannot be read or parsed is a
    :class:`~vcfkg.errors.GraphLoadError`.
    """
    triples = parse_file(path)
    found = patients(triples)
    if len(found) != 1:
        names = f"{len(found)}: {', '.join(_show(p) for p in found[:5])}" if found else "none"
        raise InvalidPatientError("patient", f"{path} must describe one vcf:PatientDescription, found {names}")
    return interpret(triples, kg, str(path), found[0])


def interpret(triples: Sequence[pyoxigraph.Triple], kg: KnowledgeGraph, source: str, patient: str) -> dict[str, Any]:
    """What the statements say of ``patient`` (an N-Triples term), in JSON form, read against ``kg``'s patient
    vocabulary. Statements about other patients are skipped; about anything else, refused."""
    described = set(patients(triples))
    vocabulary = Vocabulary.of(kg)
    compiled = kg.compiled
    facts: dict[str, Any] = {}
    red_flags: set[str] = set()
    sins: dict[str, str] = {}
    measured: dict[str, Any] = {}
    for triple in triples:
        subject, predicate, term = str(triple.subject), triple.predicate.value, triple.object
        if subject != patient and subject in described:
            continue
        if subject != patient:
            raise InvalidPatientError(
                _show(triple.subject),
                f"{source} may only describe its patient, not other things (such as {_show(triple.predicate)} "
                f"of {_show(triple.subject)}): patient data cannot change the vocabulary",
            )
        if predicate == RDF_TYPE:
            if not _is_iri(term) or term.value not in ALLOWED_TYPES:
                raise InvalidPatientError("patient", f"the type {_show(term)} is not accepted")
            continue
        if predicate in ANNOTATIONS:
            continue
        key = vocabulary.keys.get(predicate)
        if key is None:
            raise InvalidPatientError(predicate, "is not a property of the patient vocabulary")
        allowed = vocabulary.individuals.get(predicate)
        if key in vocabulary.measured:
            field_name = f"{measurements.FIELD}.{key}"
            if key in measured:
                raise InvalidPatientError(field_name, "is given twice")
            measured[key] = _literal(field_name, term, vocabulary.ranges[predicate])
            continue
        if allowed is None:
            value: Any = _literal(key, term, vocabulary.ranges[predicate])
        else:
            known = allowed.get(term.value) if _is_iri(term) else None
            if known is None:
                kind = f"an individual of the vcfkg graph ({_curie(vocabulary.ranges[predicate])})"
                raise InvalidPatientError(
                    key,
                    f"{_show(term)} is not {kind}"
                    if _is_iri(term)
                    else f"must be {kind} named by its IRI, not the {'literal' if _is_literal(term) else 'node'} "
                    f"{_show(term)}",
                )
            value, component = known
            if key == "sins":
                component = component or "sins"
                if component in sins:
                    raise InvalidPatientError(f"sins.{component}", "is given twice")
                sins[component] = value
                continue
            if key == "red_flags":
                red_flags.add(value)
                continue
        if key == "level":
            if "level" in sins:
                raise InvalidPatientError("sins.level", "is given twice")
            sins["level"] = value
        elif key in facts:
            raise InvalidPatientError(key, "is given twice")
        else:
            facts[key] = value
    description = dict(facts)
    if red_flags:
        description["red_flags"] = [flag for flag in compiled.red_flags if flag in red_flags]
    if sins:
        order = [*compiled.sins_options, "level"]
        description["sins"] = {c: sins[c] for c in sorted(sins, key=lambda c: order.index(c) if c in order else 99)}
    if measured:
        fields = [t.field for t in compiled.deformity_thresholds]
        description[measurements.FIELD] = {k: measured[k] for k in sorted(measured, key=fields.index)}
    return description


def _is_iri(term: object) -> TypeGuard[pyoxigraph.NamedNode]:
    import pyoxigraph

    return isinstance(term, pyoxigraph.NamedNode)


def _is_literal(term: Any) -> bool:
    import pyoxigraph

    return isinstance(term, pyoxigraph.Literal)


def _node(iri: str) -> pyoxigraph.NamedNode:
    import pyoxigraph

    return pyoxigraph.NamedNode(iri)
