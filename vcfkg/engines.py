"""SPARQL engines behind one small interface, with results as plain Python values.

Every engine answers ``select(text)`` with a list of rows (dicts from variable name to value).
Values are converted the same way on every engine so answers can be compared across them:
an IRI becomes :class:`IRI` (a ``str``), a boolean ``bool``, an integer ``int``, a decimal or
double ``float``, any other literal its lexical ``str``, and an unbound variable ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from vcfkg.errors import GraphLoadError
from vcfkg.formats import oxigraph_format, rdflib_format
from vcfkg.namespace import XSD

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

INTEGER_TYPES = frozenset(
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
)
FLOAT_TYPES = frozenset(XSD + t for t in ("decimal", "double", "float"))

Value = Any  # IRI | str | int | float | bool | None
Row = dict[str, Value]


class IRI(str):
    """An IRI in a query result or a query parameter (a ``str`` that is known to be an IRI)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"IRI({str.__repr__(self)})"


def literal_value(lexical: str, datatype: str) -> Value:
    """Convert a literal to the Python value every engine agrees on."""
    if datatype == XSD + "boolean":
        return lexical in ("true", "1")
    if datatype in INTEGER_TYPES:
        return int(lexical)
    if datatype in FLOAT_TYPES:
        return float(lexical)
    return lexical


class Engine(Protocol):
    """What vcfkg needs of a SPARQL engine: SELECT queries in, rows of plain values out, and its triples."""

    name: str

    def select(self, text: str) -> list[Row]:
        """The rows of a SELECT query."""
        ...

    def dump(self) -> bytes:
        """Every triple of the graph as N-Triples (for HermiT, pySHACL and publishing)."""
        ...


class OxigraphEngine:
    """The embedded default: an in-memory pyoxigraph store."""

    name = "oxigraph"

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> OxigraphEngine:
        """A store holding the RDF files (format by extension); a bad one raises GraphLoadError."""
        import pyoxigraph

        store = pyoxigraph.Store()
        for path in paths:
            format = oxigraph_format(path)
            try:
                if format == pyoxigraph.RdfFormat.JSON_LD:  # vcfkg's patient context is read from the shipped file
                    from vcfkg.jsonld import resolve

                    store.bulk_load(resolve(path.read_bytes()), format=format)
                else:
                    store.bulk_load(path=str(path), format=format)
            except FileNotFoundError:
                raise GraphLoadError(f"{path}: no such file") from None
            except (OSError, SyntaxError, ValueError) as error:
                raise GraphLoadError(f"{path}: cannot load: {error}") from None
        return cls(store)

    def dump(self) -> bytes:
        """The default graph as N-Triples."""
        import pyoxigraph

        return self.store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph()) or b""

    def select(self, text: str) -> list[Row]:
        """The rows of a SELECT query, as plain values."""
        import pyoxigraph

        solutions = self.store.query(text)
        if not isinstance(solutions, pyoxigraph.QuerySolutions):
            raise TypeError("select() runs SELECT queries only")
        names = [variable.value for variable in solutions.variables]
        rows: list[Row] = []
        for solution in solutions:
            row: Row = {}
            for name in names:
                term = solution[name]
                if term is None:
                    row[name] = None
                elif isinstance(term, pyoxigraph.NamedNode):
                    row[name] = IRI(term.value)
                elif isinstance(term, pyoxigraph.Literal):
                    row[name] = literal_value(term.value, term.datatype.value)
                else:
                    row[name] = "_:" + term.value
            rows.append(row)
        return rows


class RdflibEngine:
    """rdflib, for users who hand us an rdflib Graph (and for pySHACL and owlready2)."""

    name = "rdflib"

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> RdflibEngine:
        """A graph holding the RDF files (format by extension); a bad one raises GraphLoadError."""
        import rdflib

        graph = rdflib.Graph()
        for path in paths:
            format = rdflib_format(path)
            try:
                graph.parse(path, format=format)
            except FileNotFoundError:
                raise GraphLoadError(f"{path}: no such file") from None
            except Exception as error:  # rdflib raises many unrelated types for bad input
                raise GraphLoadError(f"{path}: cannot parse: {error}") from None
        return cls(graph)

    def dump(self) -> bytes:
        """The graph as N-Triples."""
        return self.graph.serialize(format="nt", encoding="utf-8")

    def select(self, text: str) -> list[Row]:
        """The rows of a SELECT query, as plain values."""
        import rdflib

        result = self.graph.query(text)
        names = [str(variable) for variable in result.vars or []]
        rows: list[Row] = []
        for solution in result:
            if not isinstance(solution, rdflib.query.ResultRow):
                raise TypeError("select() runs SELECT queries only")
            row: Row = {}
            for name in names:
                term = solution[name]
                if term is None:
                    row[name] = None
                elif isinstance(term, rdflib.URIRef):
                    row[name] = IRI(str(term))
                elif isinstance(term, rdflib.Literal):
                    datatype = str(term.datatype) if term.datatype else XSD + "string"
                    row[name] = literal_value(str(term), datatype)
                else:
                    row[name] = "_:" + str(term)
            rows.append(row)
        return rows
