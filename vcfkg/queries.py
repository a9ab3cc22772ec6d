"""The registry of ``queries/**/*.rq`` and how parameters are bound into them.

A query's parameters are its ``VALUES`` blocks: a one-variable block ``VALUES ?number { 2 }``
is the parameter ``number``; a block over several variables carries its name in a comment on
its first line, ``VALUES (?fact ?value) {  # param: patient``. The values in the file are a
working example, so researchers can run the file as it is in their own triple store. Binding
replaces a block with values serialized from typed RDF terms (pyoxigraph's N-Triples writer),
never by pasting user text into the query.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from vcfkg.engines import IRI, Engine, Row, Value
from vcfkg.errors import InvalidArgumentError, UnknownQueryError
from vcfkg.resources import queries_dir


@lru_cache(maxsize=1)
def values_block() -> re.Pattern[str]:
    """A VALUES block: one variable, or several with ``# param: NAME`` on its first line (compiled on first use)."""
    return re.compile(
        r"VALUES\s*(?:\((?P<vars>(?:\s*\?\w+)+)\s*\)|\?(?P<var>\w+))\s*\{(?P<comment>[ \t]*#\s*param:\s*(?P<name>\w+))?"
        r"(?P<body>[^{}]*)\}",
    )


# The kinds of value a parameter column takes, read from the file's example values.
KIND_NAMES = {"iri": "an IRI", "boolean": "true or false", "integer": "a whole number", "decimal": "a number",
              "string": "a string"}  # fmt: skip
_TOKEN = re.compile(
    r'(?P<iri><[^>\s]*>|[A-Za-z][\w.-]*:[\w.-]*)|(?P<string>"(?:[^"\\]|\\.)*"(?:@[\w-]+)?)'
    r"|(?P<boolean>\btrue\b|\bfalse\b)|(?P<decimal>[+-]?\d*\.\d+)|(?P<integer>[+-]?\d+)|(?P<open>\()|(?P<close>\))"
)


class Parameter(NamedTuple):
    """A parameter: its name, the variables of its VALUES block, and the kinds of value each variable takes."""

    name: str
    variables: tuple[str, ...]
    kinds: tuple[frozenset[str], ...] = ()  # per variable, from the example rows; empty when there is none

    def describe(self) -> str:
        """The parameter as ``--list`` and errors show it: name, and its columns' kinds for a table."""
        kinds = [" or ".join(KIND_NAMES[k] for k in sorted(column)) or "any value" for column in self.kinds]
        if len(self.variables) == 1:
            return f"{self.name} ({kinds[0] if kinds else 'any value'})"
        columns = ", ".join(f"?{v}: {k}" for v, k in zip(self.variables, kinds or ["any value"] * 9, strict=False))
        return f"{self.name} (rows of {columns})"


class Query(NamedTuple):
    """One ``.rq`` file: its name (path under queries/ without suffix), text and parameters."""

    name: str
    path: Path
    text: str
    parameters: tuple[Parameter, ...]

    @property
    def description(self) -> str:
        """The header's first paragraph (the comment lines before the first empty one), as one line."""
        lines: list[str] = []
        for line in self.text.splitlines():
            if not line.startswith("#"):
                break
            words = line.lstrip("#").strip()
            if not words:
                break
            lines.append(words)
        return " ".join(lines)

    @property
    def purpose(self) -> str:
        """The first line of the header comment."""
        for line in self.text.splitlines():
            if line.startswith("#"):
                return line.lstrip("# ").strip()
        return ""


def _example_kinds(body: str, width: int) -> tuple[frozenset[str], ...]:
    """The kinds of the example values in a VALUES body, per column (comments removed)."""
    text = "\n".join(line.split("#", 1)[0] if '"' not in line else line for line in body.splitlines())
    columns: list[set[str]] = [set() for _ in range(width)]
    position = 0
    for token in _TOKEN.finditer(text):
        kind = token.lastgroup
        if kind == "open":
            position = 0
        elif kind in KIND_NAMES:
            columns[position % width].add(str(kind))
            position += 1
    return tuple(frozenset(column) for column in columns) if any(columns) else ()


def _parameters(text: str) -> tuple[Parameter, ...]:
    found: list[Parameter] = []
    for match in values_block().finditer(text):
        if match["var"]:
            found.append(Parameter(match["var"], (match["var"],), _example_kinds(match["body"], 1)))
        elif match["name"]:
            variables = tuple(v.lstrip("?") for v in match["vars"].split())
            found.append(Parameter(match["name"], variables, _example_kinds(match["body"], len(variables))))
    return tuple(found)


def _kind(value: object) -> str | None:
    if isinstance(value, IRI):
        return "iri"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "decimal"
    if isinstance(value, str):
        return "string"
    return None


def _check_kinds(parameter: Parameter, rows: list[tuple[Value, ...]]) -> None:
    """A value of a kind the parameter's column does not take is an error (it could only match nothing)."""
    if not parameter.kinds:
        return
    for row in rows:
        for variable, allowed, value in zip(parameter.variables, parameter.kinds, row, strict=True):
            kind = _kind(value)
            if kind is None or not allowed or kind in allowed or (kind == "integer" and "decimal" in allowed):
                continue
            where = parameter.name if len(parameter.variables) == 1 else f"{parameter.name} (?{variable})"
            expected = " or ".join(KIND_NAMES[k] for k in sorted(allowed))
            raise InvalidArgumentError(f"parameter {where}: expected {expected}, got {KIND_NAMES[kind]} {value!r}")


@lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """The names of the queries shipped with vcfkg (e.g. ``recommend``, ``qc/missing-label-violation``), sorted."""
    root = queries_dir()
    found = []
    for folder, _dirs, files in os.walk(root):
        for file in files:
            if file.endswith(".rq"):
                found.append((Path(folder) / file).relative_to(root).with_suffix("").as_posix())
    return tuple(sorted(found))


@cache
def _read(name: str) -> Query:
    path = queries_dir() / f"{name}.rq"
    text = path.read_text(encoding="utf-8")
    return Query(name, path, text, _parameters(text))


def registry() -> Mapping[str, Query]:
    """All queries shipped with vcfkg, by name."""
    return {name: _read(name) for name in names()}


def get(name: str) -> Query:
    """The query of that name (its file is read on first use); :class:`UnknownQueryError` listing the known ones
    otherwise."""
    if name not in names():
        raise UnknownQueryError(f"query {name!r} not found; known queries: {', '.join(names())}")
    return _read(name)


def term(value: Value) -> str:
    """Serialize a Python value as a SPARQL term through pyoxigraph's typed terms."""
    import pyoxigraph

    if isinstance(value, IRI):
        try:
            return str(pyoxigraph.NamedNode(value))
        except ValueError:
            raise InvalidArgumentError(f"not a valid IRI: {value!r}") from None
    if isinstance(value, bool | int | float | str):
        return str(pyoxigraph.Literal(value))
    raise InvalidArgumentError(f"cannot use {type(value).__name__} value {value!r} as a query parameter")


def _rows(parameter: Parameter, value: object) -> list[tuple[Value, ...]]:
    width = len(parameter.variables)
    items: Iterable[object] = (
        value if isinstance(value, Sequence | set | frozenset) and not isinstance(value, str) else [value]
    )
    rows: list[tuple[Value, ...]] = []
    for item in items:
        row = tuple(item) if width > 1 and isinstance(item, Sequence) and not isinstance(item, str) else (item,)
        if len(row) != width:
            raise InvalidArgumentError(
                f"parameter {parameter.name!r} takes rows of {width} values "
                f"({' '.join('?' + v for v in parameter.variables)}), got {item!r}"
            )
        rows.append(row)
    return rows


def bind(query: Query, params: Mapping[str, object]) -> str:
    """The query text with every parameter block replaced by the given values.

    A single value or a list of values (rows) may be given per parameter; every parameter of the
    query must be given, so an answer never silently comes from the file's example values.
    """
    expected = {p.name: p for p in query.parameters}
    unknown = sorted(set(params) - set(expected))
    if unknown:
        raise InvalidArgumentError(
            f"query {query.name!r} has no parameter {unknown[0]!r}; its parameters: {', '.join(expected) or 'none'}"
        )
    missing = sorted(set(expected) - set(params))
    if missing:
        raise InvalidArgumentError(f"query {query.name!r} needs parameter {missing[0]!r}")

    def replace(match: re.Match[str]) -> str:
        name = match["var"] or match["name"]
        if name not in expected:
            return match.group(0)
        parameter = expected[name]
        rows = _rows(parameter, params[name])
        _check_kinds(parameter, rows)
        if len(parameter.variables) == 1:
            head = f"VALUES ?{parameter.variables[0]} {{"
            body = " ".join(term(row[0]) for row in rows)
            return f"{head} {body} }}"
        head = "VALUES (" + " ".join("?" + v for v in parameter.variables) + ") {"
        body = " ".join("(" + " ".join(term(v) for v in row) + ")" for row in rows)
        return f"{head} {body} }}"

    return values_block().sub(replace, query.text)


def select(
    engine: Engine, name: str, params: Mapping[str, object] | None = None, *, use_example_values: bool = False
) -> list[Row]:
    """Run the named query on ``engine`` with every parameter bound: the one way vcfkg runs a shipped query.

    A query with parameters needs all of them (an answer never silently comes from the file's example values);
    ``use_example_values=True`` runs the file as written, on purpose (``vcfkg query NAME`` without ``--param``).
    """
    query = get(name)
    if use_example_values:
        if params:
            raise InvalidArgumentError(f"query {name!r}: give parameters or use the example values, not both")
        return engine.select(query.text)
    if not query.parameters and not params:
        return engine.select(query.text)
    return engine.select(bind(query, params or {}))
