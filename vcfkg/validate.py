"""SHACL validation of the guideline graph, or of one's own RDF, against the shapes in ``shapes/``.

The guideline graph is the one a :class:`~vcfkg.kg.KnowledgeGraph` holds (the shipped graph when none is
given), so ``vcfkg --graph X validate`` checks X and ``vcfkg --endpoint URL validate`` the published copy.

The shapes are the written contract of the graph and of patient descriptions in RDF; pySHACL checks them.
The data goes into an in-memory Oxigraph store, which pySHACL (0.40+) reads natively: on the shipped
graph that is over ten times faster than an rdflib Graph, because the SPARQL-based targets and
constraints run in Oxigraph instead of rdflib's SPARQL engine. No RDFS/OWL inference is run: the shapes
ask only for what the data states (the class hierarchy they need, e.g. for sh:class, is in the graph).

>>> report = validate()
>>> report.conforms
True
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vcfkg.errors import GraphLoadError, InvalidPatientError
from vcfkg.formats import is_rdf, oxigraph_format
from vcfkg.namespace import PREFIXES, RDFS
from vcfkg.resources import shapes_dir

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

    from vcfkg.kg import KnowledgeGraph

RDFS_LABEL = RDFS + "label"
Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result: what is wrong, where, and which shape says so."""

    focus: str  # the focus node: an IRI, ``_:id`` for a blank node, or a literal's text
    focus_label: str  # its rdfs:label in the data or the shipped graph, else ``focus`` as a CURIE
    path: str | None  # the property path as a CURIE or SPARQL path (``^vcf:hasVariant``), None at node level
    message: str
    source_shape: str  # the shape's CURIE, e.g. ``vcfsh:Rating-category``
    severity: str  # ``Violation``, ``Warning`` or ``Info``
    value: str | None = None  # the offending value, as a CURIE or literal text, when the shape names one

    def to_json(self) -> Json:
        """The public JSON shape."""
        return {
            "focus": self.focus,
            "focus_label": self.focus_label,
            "path": self.path,
            "message": self.message,
            "source_shape": self.source_shape,
            "severity": self.severity,
            "value": self.value,
        }


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of a validation: whether the data conforms, and each violation."""

    conforms: bool
    violations: tuple[Violation, ...]

    def to_json(self) -> Json:
        """The public JSON shape."""
        return {"conforms": self.conforms, "violations": [v.to_json() for v in self.violations]}


def validate(
    data_paths: Sequence[Path] | None = None, *, with_graph: bool = False, kg: KnowledgeGraph | None = None
) -> ValidationReport:
    """Validate the graph, or the given RDF files alone, or the files together with the graph.

    The graph is that of ``kg`` (default: the shipped graph). Files are read by extension (the table in
    :mod:`vcfkg.formats`: Turtle ``.ttl``, N-Triples ``.nt``, JSON-LD ``.jsonld``, RDF/XML ``.rdf``,
    ``.owl``, ``.xml``, ...). A file that cannot be read or parsed raises :class:`~vcfkg.errors.GraphLoadError`
    naming it.
    """
    import pyoxigraph
    import pyshacl

    files = [Path(p) for p in data_paths or ()]
    reference = _Reference(kg)
    store = pyoxigraph.Store()
    if with_graph or not files:
        store.bulk_load(reference.triples(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    for path in files:
        _load(store, path)
    with _quiet_rdflib():
        _conforms, report, _text = pyshacl.validate(
            store,  # type: ignore[arg-type]  # pySHACL 0.40 reads a pyoxigraph Store natively
            shacl_graph=_shapes(),
            advanced=True,
            inplace=True,
        )
    # A patient the shapes pass must also pass the reader recommend and classify use, so that no command
    # accepts what another refuses (the reader's findings are added only when the shapes found nothing).
    violations = _violations(report, store, reference) or _patient_violations(files, reference)
    return ValidationReport(conforms=not violations, violations=violations)


def _patient_violations(files: Sequence[Path], reference: _Reference) -> tuple[Violation, ...]:
    """What the patient reader (the one recommend and classify use) refuses in the files that describe patients."""
    from vcfkg import patient_rdf

    found = []
    for path in files:
        if not is_rdf(path):
            continue
        triples = patient_rdf.parse_file(path)
        for patient in patient_rdf.patients(triples):
            kg = reference.graph()
            try:
                kg.parse_patient(patient_rdf.interpret(triples, kg, str(path), patient))
            except InvalidPatientError as error:
                found.append(
                    Violation(
                        focus=patient.strip("<>"),
                        focus_label=f"{patient} in {path}",
                        path=error.field,
                        message=error.problem,
                        source_shape="vcfkg:patient-reader",
                        severity="Violation",
                    )
                )
    return tuple(found)


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for every ill-typed literal ("abc"^^xsd:integer); the SHACL report says it once."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


LABEL_PATHS = ("rdfs:label", "skos:prefLabel")


def _curie_of(focus: str) -> str:
    """A focus node's IRI as a CURIE of a known prefix, else in angle brackets (blank nodes as they are)."""
    if focus.startswith("_:"):
        return focus
    for prefix, namespace in PREFIXES.items():
        local = focus.removeprefix(namespace)
        if local != focus and local and all(c.isalnum() or c in "-_." for c in local):
            return f"{prefix}:{local}"
    return f"<{focus}>"


class _Reference:
    """The graph a validation refers to, fetched from the KnowledgeGraph only when first needed."""

    def __init__(self, kg: KnowledgeGraph | None) -> None:
        self.kg = kg
        self._store: pyoxigraph.Store | None = None

    def graph(self) -> KnowledgeGraph:
        if self.kg is None:
            from vcfkg.kg import default_graph

            self.kg = default_graph()
        return self.kg

    def triples(self) -> bytes:
        return self.graph().serialize()

    def store(self) -> pyoxigraph.Store:
        """The graph in a store, for the labels of terms that a user's file only refers to."""
        import pyoxigraph

        if self._store is None:
            self._store = pyoxigraph.Store()
            self._store.bulk_load(self.triples(), format=pyoxigraph.RdfFormat.N_TRIPLES)
        return self._store


def format_text(report: ValidationReport) -> str:
    """One line per violation (focus label, path, message, value), then a summary line."""
    lines = []
    for v in report.violations:
        # A node whose label is the problem is named by its IRI (its label may be missing, doubled or wrong).
        name = _curie_of(v.focus) if v.path in LABEL_PATHS else v.focus_label
        where = f"{name} [{v.path}]" if v.path else name
        value = f" (value: {v.value})" if v.value is not None else ""
        lines.append(f"{v.severity}: {where}: {v.message}{value}")
    if report.conforms:
        lines.append("Conforms: no violations.")
    else:
        count = len(report.violations)
        nodes = len({v.focus for v in report.violations})
        lines.append(f"Does not conform: {count} violation{'s' * (count != 1)} on {nodes} node{'s' * (nodes != 1)}.")
    return "\n".join(lines)


# -- loading -----------------------------------------------------------------------------------------------
def _load(store: pyoxigraph.Store, path: Path) -> None:
    import pyoxigraph

    fmt = oxigraph_format(path)
    if fmt == pyoxigraph.RdfFormat.RDF_XML:
        _refuse_xml_entities(path)
    before = len(store)
    try:
        if fmt == pyoxigraph.RdfFormat.JSON_LD:  # vcfkg's patient context is read from the shipped file
            from vcfkg.jsonld import resolve

            store.bulk_load(resolve(path.read_bytes()), format=fmt, base_iri=path.resolve().as_uri())
        else:
            store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
    except FileNotFoundError:
        raise GraphLoadError(f"{path}: no such file") from None
    except OSError as error:
        raise GraphLoadError(f"{path}: cannot read: {error.strerror or error}") from None
    except SyntaxError as error:
        problem = str(error).splitlines()[0] if str(error) else "syntax error"
        if "LoadDocumentCallback" in problem:
            problem = "remote JSON-LD contexts are not fetched; put the @context in the file"
        raise GraphLoadError(f"{path}: not valid {fmt.name}: {problem}") from None
    if len(store) == before:
        raise GraphLoadError(f"{path}: contains no RDF statements")


def _refuse_xml_entities(path: Path) -> None:
    """The patient reader's rule for RDF/XML (no document type declaration), read in pieces of any file size."""
    from vcfkg.patient_rdf import refuse_xml_entities

    try:
        with path.open("rb") as handle:
            tail = b""
            while piece := handle.read(1 << 20):
                refuse_xml_entities(path, tail + piece)
                tail = piece[-16:]
    except FileNotFoundError:
        raise GraphLoadError(f"{path}: no such file") from None
    except OSError as error:
        raise GraphLoadError(f"{path}: cannot read: {error.strerror or error}") from None


@lru_cache(maxsize=1)
def _shapes() -> rdflib.Graph:
    """All shapes files in shapes/ as one graph, parsed once (pySHACL only reads it)."""
    import rdflib

    graph = rdflib.Graph()
    for path in sorted(shapes_dir().glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


# -- reading the report ------------------------------------------------------------------------------------
def _violations(report: rdflib.Graph, store: pyoxigraph.Store, reference: _Reference) -> tuple[Violation, ...]:
    from rdflib.namespace import SH

    results = []
    for result in report.objects(None, SH.result):  # top-level results, not the sh:detail of nested shapes
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        severity = report.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        results.append(
            Violation(
                focus=_term_id(focus),
                focus_label=_label(focus, store, reference),
                path=_path_text(report, path) if path is not None else None,
                message=" ".join(messages),
                source_shape=_curie(report.value(result, SH.sourceShape)),
                severity=_local_name(str(severity)),
                value=_value_text(value) if value is not None and value != focus else None,
            )
        )
    return tuple(sorted(set(results), key=lambda v: (v.focus_label, v.path or "", v.source_shape, v.value or "")))


def _term_id(term: Any) -> str:
    import rdflib

    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return str(term)


def _curie(term: Any) -> str:
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return _curie_of(str(term))
    return _term_id(term)


def _value_text(term: Any) -> str:
    """An IRI as a CURIE, a string literal in quotes, any other literal as its lexical form."""
    import rdflib

    if isinstance(term, rdflib.Literal) and (term.language or term.datatype in (None, rdflib.XSD.string)):
        return f'"{term}"' + (f"@{term.language}" if term.language else "")
    return _curie(term)


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _label(term: Any, store: pyoxigraph.Store, reference: _Reference) -> str:
    """The term's rdfs:label (English first) in the data, else in the reference graph, else its CURIE."""
    import pyoxigraph
    import rdflib

    if isinstance(term, rdflib.URIRef):
        node: pyoxigraph.NamedNode | pyoxigraph.BlankNode = pyoxigraph.NamedNode(str(term))
    elif isinstance(term, rdflib.BNode):
        node = pyoxigraph.BlankNode(str(term))
    else:
        return str(term)
    label = _first_label(store, node) or _first_label(reference.store(), node)
    return label if label is not None else _curie(term)


def _first_label(store: pyoxigraph.Store, node: pyoxigraph.NamedNode | pyoxigraph.BlankNode) -> str | None:
    """The node's rdfs:label in the store, English first, else None."""
    import pyoxigraph

    labels = [
        q.object
        for q in store.quads_for_pattern(node, pyoxigraph.NamedNode(RDFS_LABEL), None)
        if isinstance(q.object, pyoxigraph.Literal)
    ]
    if not labels:
        return None
    labels.sort(key=lambda lit: (lit.language != "en", lit.value))
    return labels[0].value


def _path_text(graph: rdflib.Graph, node: Any) -> str:
    """A SHACL property path in SPARQL property-path syntax, e.g. ``vcf:hasPatientClass/^vcf:hasPatientClass``."""
    import rdflib
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    def text(item: Any) -> str:
        if isinstance(item, rdflib.URIRef):
            return _curie(item)
        for predicate, template in (
            (SH.inversePath, "^{}"),
            (SH.zeroOrMorePath, "{}*"),
            (SH.oneOrMorePath, "{}+"),
            (SH.zeroOrOnePath, "{}?"),
        ):
            inner = graph.value(item, predicate)
            if inner is not None:
                return template.format(grouped(inner))
        alternatives = graph.value(item, SH.alternativePath)
        if alternatives is not None:
            return "|".join(grouped(member) for member in Collection(graph, alternatives))
        return "/".join(grouped(member) for member in Collection(graph, item))

    def grouped(item: Any) -> str:
        inner = text(item)
        return inner if isinstance(item, rdflib.URIRef) or graph.value(item, SH.inversePath) else f"({inner})"

    return text(node)
