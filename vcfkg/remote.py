"""A SPARQL server as an engine, through the SPARQL 1.1 Protocol over plain HTTP.

The graph lives in a named graph (by default the ontology IRI), and every query is sent with
that graph as its dataset (the protocol's ``default-graph-uri``), so the shipped queries run
unchanged and never see other data the store holds. Answers are converted to the same Python
values as the embedded engines (Virtuoso's ``typed-literal`` and ``1``/``0`` booleans included),
and every failure becomes one :class:`~vcfkg.errors.EndpointError` line, never an empty answer.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache

from vcfkg import queries
from vcfkg.engines import IRI, Row, Value, literal_value
from vcfkg.errors import EndpointError, InvalidArgumentError
from vcfkg.namespace import ONTOLOGY_IRI, XSD

DEFAULT_GRAPH = ONTOLOGY_IRI
DEFAULT_TIMEOUT = 30.0
RESULTS_JSON = "application/sparql-results+json"
RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
MESSAGE_LIMIT = 300
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # the whole graph as SPARQL JSON is about 10 MB
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Response:
    """An HTTP answer: status, media type and body."""

    status: int
    content_type: str
    body: bytes

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
        return 200 <= self.status < 300

    def message(self) -> str:
        """The server's error text on one line: tags stripped, whitespace collapsed, trimmed."""
        text = self.body.decode("utf-8", errors="replace")
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.DOTALL | re.IGNORECASE)
        text = " ".join(re.sub(r"<[^>]+>", " ", text).split())
        return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"

    def describe(self) -> str:
        """The status, its reason and the server's message, on one line."""
        reason = http.client.responses.get(self.status, "")
        message = self.message()
        return " ".join(part for part in (f"HTTP {self.status}", reason, message and "- " + message) if part)


def check_url(url: str, field: str = "endpoint") -> str:
    """An http(s) URL with a host, or an InvalidArgumentError naming the field."""
    try:
        parts = urllib.parse.urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        valid = False
    if not valid:
        raise InvalidArgumentError(f"{field}: not an http(s) URL: {url[:MESSAGE_LIMIT]!r}")
    return url


def check_timeout(timeout: float) -> float:
    """A positive, finite number of seconds, or an InvalidArgumentError."""
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout < 1e9:
        raise InvalidArgumentError(f"timeout: must be positive and finite (seconds), got {timeout!r}")
    return float(timeout)


class _Deadline:
    """The time left for one exchange; when it is over, the connection's socket is shut so no read can hang."""

    def __init__(self, connection: http.client.HTTPConnection, timeout: float) -> None:
        self.end = time.monotonic() + timeout
        self.connection = connection
        self.expired = False
        self.timer = threading.Timer(timeout, self._expire)
        self.timer.daemon = True

    def _expire(self) -> None:
        self.expired = True
        sock = self.connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def left(self) -> float:
        return max(self.end - time.monotonic(), 0.001)


def _read_body(answer: http.client.HTTPResponse, deadline: _Deadline, url: str) -> bytes:
    content = bytearray()
    while not deadline.expired:
        chunk = answer.read1(CHUNK_BYTES)
        if not chunk:
            break
        if len(content) + len(chunk) > MAX_ANSWER_BYTES:
            raise EndpointError(f"{url}: answer larger than {MAX_ANSWER_BYTES // 1024 // 1024} MB (limit)")
        content += chunk
    return bytes(content)


def request(method: str, url: str, *, body: bytes | None, headers: dict[str, str], timeout: float) -> Response:
    """One HTTP exchange within ``timeout`` seconds in all (connecting, sending, every byte of the answer), and
    an answer of at most MAX_ANSWER_BYTES; an HTTP error status is returned, a transport failure raised as
    EndpointError. Redirects are not followed (a SPARQL endpoint answers where it is)."""
    check_url(url, "url")
    timeout = check_timeout(timeout)
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname or "", parts.port, timeout=timeout)
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    deadline = _Deadline(connection, timeout)
    deadline.timer.start()
    try:
        connection.request(method, target, body=body, headers={"User-Agent": "vcfkg", **headers})
        answer = connection.getresponse()
        content = _read_body(answer, deadline, url)
        if deadline.expired:
            raise TimeoutError
        return Response(answer.status, answer.headers.get_content_type(), content)
    except EndpointError:
        raise
    except (TimeoutError, OSError, http.client.HTTPException) as error:
        if deadline.expired or isinstance(error, TimeoutError):
            raise EndpointError(f"{url}: no answer within {timeout:g} s (timeout)") from None
        if not isinstance(error, http.client.RemoteDisconnected | TimeoutError) and connection.sock is None:
            raise EndpointError(f"{url}: cannot connect: {_reason(error)}") from None
        raise EndpointError(f"{url}: connection lost: {_reason(error)}") from None
    finally:
        deadline.timer.cancel()
        connection.close()


def _reason(error: object) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(error, socket.gaierror):
        return "unknown host"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__


def form(url: str, fields: dict[str, str], *, timeout: float, accept: str = RESULTS_JSON) -> Response:
    """POST form-encoded fields (the SPARQL 1.1 Protocol's preferred way for query and update)."""
    body = urllib.parse.urlencode(fields).encode("utf-8")
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept}
    return request("POST", url, body=body, headers=headers, timeout=timeout)


def _term(term: object) -> Value:
    if not isinstance(term, dict) or not isinstance(term.get("value"), str):
        raise ValueError(f"not an RDF term: {repr(term)[:80]}")
    kind, value = term.get("type"), term["value"]
    if kind == "uri":
        return IRI(value)
    if kind in ("literal", "typed-literal"):  # typed-literal: SPARQL 1.0 results, still sent by Virtuoso
        if "xml:lang" in term:
            return value
        return literal_value(value, term.get("datatype", XSD + "string"))
    if kind == "bnode":
        return "_:" + value
    raise ValueError(f"unknown term type {repr(kind)[:80]}")


def parse_results(body: bytes) -> list[Row]:
    """SPARQL 1.1 Query Results JSON to rows; ValueError when the body is not that format."""
    document = json.loads(body)
    names = document["head"]["vars"]
    bindings = document["results"]["bindings"]
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ValueError("head.vars is not a list of names")
    if not isinstance(bindings, list) or not all(isinstance(row, dict) for row in bindings):
        raise ValueError("results.bindings is not a list of objects")
    return [{name: _term(row[name]) if name in row else None for name in names} for row in bindings]


@lru_cache(maxsize=256)
def projected(text: str) -> frozenset[str]:
    """The variables a SELECT query answers (asked of an empty embedded store, which parses the query)."""
    import pyoxigraph

    solutions = pyoxigraph.Store().query(text)
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        return frozenset()
    return frozenset(variable.value for variable in solutions.variables)


class RemoteEngine:
    """SELECT queries on a SPARQL server's query URL, scoped to the graph vcfkg published there.

    ``graph=None`` queries the server's own default graph, for stores where the Turtle was loaded
    without a graph name (or a union default graph is configured).
    """

    name = "remote"

    def __init__(self, query_url: str, *, graph: str | None = DEFAULT_GRAPH, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = check_timeout(timeout)
        self.query_url = check_url(query_url)
        self.graph = graph

    def select(self, text: str) -> list[Row]:
        """The rows of a SELECT query sent to the server; EndpointError for any failure."""
        fields = {"query": text}
        if self.graph is not None:
            fields["default-graph-uri"] = self.graph
        answer = form(self.query_url, fields, timeout=self.timeout)
        if not answer.ok:
            raise EndpointError(f"{self.query_url}: {answer.describe()}")
        try:
            rows = parse_results(answer.body)
        except (ValueError, KeyError, TypeError, RecursionError) as error:
            problem = "nested too deeply" if isinstance(error, RecursionError) else str(error)
            raise EndpointError(
                f"{self.query_url}: answer is not SPARQL JSON results ({answer.content_type}): {problem}"
            ) from None
        missing = projected(text) - set(rows[0] if rows else ())
        if rows and missing:
            raise EndpointError(f"{self.query_url}: answer lacks the column(s) {', '.join(sorted(missing))}")
        return rows

    def dump(self) -> bytes:
        """The graph's triples as N-Triples, fetched with one ``CONSTRUCT`` (for HermiT and pySHACL)."""
        import pyoxigraph

        fields = {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}
        if self.graph is not None:
            fields["default-graph-uri"] = self.graph
        answer = form(self.query_url, fields, timeout=self.timeout, accept=RDF_ACCEPT)
        if not answer.ok:
            raise EndpointError(f"{self.query_url}: {answer.describe()}")
        format = pyoxigraph.RdfFormat.from_media_type(answer.content_type)
        if format is None:
            raise EndpointError(f"{self.query_url}: answer to CONSTRUCT is not RDF ({answer.content_type})")
        try:
            triples = [quad.triple for quad in pyoxigraph.parse(answer.body, format=format)]
        except SyntaxError as error:
            raise EndpointError(f"{self.query_url}: answer to CONSTRUCT is not valid {format.name}: {error}") from None
        return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""

    def check_graph(self, expected_version: str | None) -> None:
        """Fail unless the endpoint holds the vcfkg graph, at ``expected_version`` if one is given.

        A missing graph must not read as 'no answer', and a stale copy must not pass for the current one.
        """
        where = f"graph <{self.graph}>" if self.graph is not None else "graph"
        rows = self.select(queries.get("vocabulary/graph_identity").text)
        versions = sorted({str(row["version"]) for row in rows if row["ontology"] == ONTOLOGY_IRI and row["version"]})
        if not versions:
            raise EndpointError(f"{where} not found at {self.query_url}: run vcfkg publish")
        if expected_version is not None and versions != [expected_version]:
            raise EndpointError(
                f"{where} at {self.query_url} is version {', '.join(versions)}, this vcfkg ships "
                f"{expected_version}: run vcfkg publish"
            )


def connect(
    query_url: str,
    *,
    graph: str | None = DEFAULT_GRAPH,
    timeout: float = DEFAULT_TIMEOUT,
    expected_version: str | None = None,
) -> RemoteEngine:
    """A checked engine on a SPARQL server: reachable, answering, and holding the graph at ``expected_version``."""
    engine = RemoteEngine(query_url, graph=graph, timeout=timeout)
    engine.check_graph(expected_version)
    return engine
