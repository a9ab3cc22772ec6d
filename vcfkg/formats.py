"""The one table of RDF formats vcfkg reads, by file extension, for every command and engine.

``.json`` is not in it: a ``.json`` file is a JSON patient description; JSON-LD is ``.jsonld``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from vcfkg.errors import GraphLoadError

if TYPE_CHECKING:
    import pyoxigraph

# extension -> (pyoxigraph.RdfFormat member, rdflib parser name)
RDF_FORMATS: dict[str, tuple[str, str]] = {
    ".ttl": ("TURTLE", "turtle"),
    ".turtle": ("TURTLE", "turtle"),
    ".nt": ("N_TRIPLES", "nt"),
    ".nq": ("N_QUADS", "nquads"),
    ".trig": ("TRIG", "trig"),
    ".n3": ("N3", "n3"),
    ".jsonld": ("JSON_LD", "json-ld"),
    ".rdf": ("RDF_XML", "xml"),
    ".owl": ("RDF_XML", "xml"),
    ".xml": ("RDF_XML", "xml"),
}


def is_rdf(path: str | Path) -> bool:
    """Whether the file's extension names an RDF format vcfkg reads (case does not matter)."""
    return Path(path).suffix.lower() in RDF_FORMATS


def _entry(path: Path) -> tuple[str, str]:
    entry = RDF_FORMATS.get(path.suffix.lower())
    if entry is None:
        known = ", ".join(RDF_FORMATS)
        raise GraphLoadError(f"{path}: unknown RDF format {path.suffix or '(no extension)'!r}; use one of {known}")
    return entry


def oxigraph_format(path: Path) -> pyoxigraph.RdfFormat:
    """The pyoxigraph format of an RDF file, by its extension; :class:`GraphLoadError` for an unknown one."""
    import pyoxigraph

    format: pyoxigraph.RdfFormat = getattr(pyoxigraph.RdfFormat, _entry(path)[0])
    return format


def rdflib_format(path: Path) -> str:
    """The rdflib parser name of an RDF file, by its extension; :class:`GraphLoadError` for an unknown one."""
    return _entry(path)[1]
