"""The guideline graph written in every common RDF serialization, with a ``MANIFEST`` of sha256 checksums.

Each file is the whole graph, so each carries the ontology header with its ``owl:versionIRI``. The
``MANIFEST`` is in ``sha256sum`` format (``sha256sum -c MANIFEST`` checks the folder).
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vcfkg.errors import InvalidArgumentError

if TYPE_CHECKING:
    import rdflib

MANIFEST = "MANIFEST"
STEM = "vcf"


@dataclass(frozen=True, slots=True)
class Serialization:
    """One export format: its name on the command line, file suffix, and rdflib serializer."""

    name: str
    suffix: str
    rdflib_format: str
    description: str


SERIALIZATIONS = (
    Serialization("ttl", ".ttl", "longturtle", "Turtle"),
    Serialization("nt", ".nt", "nt", "N-Triples"),
    Serialization("rdfxml", ".rdf", "xml", "RDF/XML (Protégé, ROBOT)"),
    Serialization("jsonld", ".jsonld", "json-ld", "JSON-LD"),
)
BY_NAME = {serialization.name: serialization for serialization in SERIALIZATIONS}
FORMAT_CHOICES = (*BY_NAME, "all")
# The prefixes the JSON-LD file compacts to (the graph's own prefixes for these namespaces).
JSONLD_PREFIXES = ("dcterms", "owl", "prov", "rdf", "rdfs", "skos", "vann", "vcf", "xsd")


def serializations(name: str) -> tuple[Serialization, ...]:
    """The serializations a ``--format`` value stands for (``all``: every one)."""
    if name == "all":
        return SERIALIZATIONS
    if name not in BY_NAME:
        raise InvalidArgumentError(f"format: must be one of {', '.join(FORMAT_CHOICES)}, got {name!r}")
    return (BY_NAME[name],)


def serialize(graph: rdflib.Graph, serialization: Serialization) -> bytes:
    """The graph in one serialization, as UTF-8 bytes."""
    if serialization.rdflib_format == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix in JSONLD_PREFIXES}
        text = graph.serialize(format="json-ld", context=context, auto_compact=True)
    else:
        text = graph.serialize(format=serialization.rdflib_format)
    return text.encode("utf-8")


def sha256(path: Path) -> str:
    """The hex sha256 digest of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_graph(graph: rdflib.Graph, directory: str | Path, format: str = "all") -> list[Path]:
    """Write ``vcf.<suffix>`` for each serialization of ``format`` and a ``MANIFEST``; the paths written.

    The ``MANIFEST`` lists every ``vcf.*`` file in the folder (also ones from an earlier export in another
    format), one ``<sha256>  <name>`` line each, sorted by name.
    """
    chosen = serializations(format)
    target = Path(directory)
    written: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for serialization in chosen:
            path = target / f"{STEM}{serialization.suffix}"
            with warnings.catch_warnings():  # rdflib warns about its own plugins' internals
                warnings.simplefilter("ignore")
                path.write_bytes(serialize(graph, serialization))
            written.append(path)
        files = sorted(target / f"{STEM}{s.suffix}" for s in SERIALIZATIONS if (target / f"{STEM}{s.suffix}").is_file())
        manifest = target / MANIFEST
        manifest.write_text("".join(f"{sha256(path)}  {path.name}\n" for path in files), encoding="utf-8")
    except OSError as error:
        raise InvalidArgumentError(f"{target}: cannot write the export: {error.strerror or error}") from None
    return [*written, manifest]
