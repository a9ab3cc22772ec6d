"""Upload the loaded graph (the shipped one, or ``--graph FILE``) into a SPARQL server's named graph, replacing
any earlier copy.

The SPARQL 1.1 Graph Store HTTP Protocol comes first (one ``PUT``: atomic and idempotent);
servers without it get SPARQL 1.1 Update (``DROP SILENT GRAPH`` then inserts in chunks, since
Virtuoso refuses very long updates). When only the query URL is given, the conventional sibling
URLs of Oxigraph (``/query`` → ``/store``, ``/update``) and Virtuoso (``/sparql`` →
``/sparql-graph-crud``, ``/sparql``) are tried, and the result says which one worked.
Afterwards the triples in the graph are counted through the query URL, so a publish that
duplicated or lost data is an error, not a success.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vcfkg.errors import EndpointError
from vcfkg.remote import DEFAULT_GRAPH, DEFAULT_TIMEOUT, RemoteEngine, check_url, form, request

if TYPE_CHECKING:
    import pyoxigraph

    from vcfkg.kg import KnowledgeGraph

CHUNK_TRIPLES = 500  # Virtuoso 7 rejects an update whose generated SQL exceeds 10000 lines


@dataclass(frozen=True)
class PublishResult:
    """What was uploaded, where, how, and what failed before the method that worked."""

    graph: str
    method: str  # "graph store" or "update"
    url: str
    triples: int
    tried: tuple[str, ...]


def siblings(query_url: str) -> tuple[list[str], list[str]]:
    """Conventional Graph Store and Update URLs next to a query URL: (store URLs, update URLs)."""
    parts = urllib.parse.urlsplit(query_url)
    base, _, last = parts.path.rpartition("/")

    def at(path: str) -> str:
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))

    if last == "query":  # Oxigraph
        return [at(base + "/store")], [at(base + "/update")]
    if last == "sparql":  # Virtuoso
        return [at(base + "/sparql-graph-crud")], [at(parts.path)]
    return [], [at(parts.path)]  # the SPARQL 1.1 Protocol allows update on the query URL


def graph_triples(kg: KnowledgeGraph) -> list[pyoxigraph.Triple]:
    """The triples of the loaded graph, as they will be published."""
    import pyoxigraph

    return [quad.triple for quad in pyoxigraph.parse(kg.serialize(), format=pyoxigraph.RdfFormat.N_TRIPLES)]


def _ntriples(triples: Sequence[pyoxigraph.Triple]) -> bytes:
    import pyoxigraph

    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""


def chunks(triples: Sequence[pyoxigraph.Triple], size: int) -> Iterator[list[pyoxigraph.Triple]]:
    """Chunks of about ``size`` triples that never split triples connected through blank nodes.

    Blank nodes in an update are fresh per request, so an OWL restriction cut in two would
    become two broken ones.
    """
    import pyoxigraph

    def blanks(triple: pyoxigraph.Triple) -> list[str]:
        return [t.value for t in (triple.subject, triple.object) if isinstance(t, pyoxigraph.BlankNode)]

    parent: dict[str, str] = {}

    def find(label: str) -> str:
        while parent[label] != label:
            label = parent[label]
        return label

    for triple in triples:
        labels = blanks(triple)
        for label in labels:
            parent.setdefault(label, label)
        if len(labels) == 2:
            parent[find(labels[1])] = find(labels[0])

    groups: dict[str | int, list[pyoxigraph.Triple]] = {}
    for index, triple in enumerate(triples):
        labels = blanks(triple)
        groups.setdefault(find(labels[0]) if labels else index, []).append(triple)

    chunk: list[pyoxigraph.Triple] = []
    for members in groups.values():
        if chunk and len(chunk) + len(members) > size:
            yield chunk
            chunk = []
        chunk.extend(members)
    if chunk:
        yield chunk


def _graph_store(url: str, graph: str, payload: bytes, timeout: float) -> str | None:
    """PUT the graph; None on success, else why this URL did not take it."""
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    target = url + separator + urllib.parse.urlencode({"graph": graph})
    # N-Triples sent as Turtle (which it is): older servers know no N-Triples media type
    headers = {"Content-Type": "text/turtle; charset=utf-8"}
    answer = request("PUT", target, body=payload, headers=headers, timeout=timeout)
    return None if answer.ok else answer.describe()


def _update(url: str, graph: str, triples: Sequence[pyoxigraph.Triple], timeout: float) -> str | None:
    """DROP and re-insert the graph; None on success, else why this URL refused the first step."""
    answer = form(url, {"update": f"DROP SILENT GRAPH <{graph}>"}, timeout=timeout, accept="*/*")
    if not answer.ok:
        return answer.describe()
    for chunk in chunks(triples, CHUNK_TRIPLES):
        body = _ntriples(chunk).decode("utf-8")
        # INSERT ... WHERE {} rather than INSERT DATA: Virtuoso refuses blank nodes in INSERT DATA
        text = f"INSERT {{ GRAPH <{graph}> {{\n{body}}} }} WHERE {{}}"
        answer = form(url, {"update": text}, timeout=timeout, accept="*/*")
        if not answer.ok:
            raise EndpointError(f"{url}: the graph is incomplete, publish again: {answer.describe()}")
    return None


def publish(
    query_url: str,
    *,
    update_url: str | None = None,
    store_url: str | None = None,
    graph_iri: str = DEFAULT_GRAPH,
    timeout: float = DEFAULT_TIMEOUT,
    kg: KnowledgeGraph | None = None,
) -> PublishResult:
    """Put the graph of ``kg`` (default: the shipped graph) into ``graph_iri`` on the server and check it holds
    exactly one copy, at the graph's version.

    With ``update_url`` or ``store_url`` only the given URLs are used; otherwise the query
    URL's conventional siblings are tried.
    """
    if kg is None:
        from vcfkg.kg import default_graph

        kg = default_graph()
    engine = RemoteEngine(query_url, graph=graph_iri, timeout=timeout)
    check_url(graph_iri, "graph")
    if store_url or update_url:
        stores = [check_url(store_url, "store endpoint")] if store_url else []
        updates = [check_url(update_url, "update endpoint")] if update_url else []
    else:
        stores, updates = siblings(query_url)

    engine.select("SELECT * WHERE {} LIMIT 1")  # an unreachable server is named by the URL the user gave
    triples = graph_triples(kg)
    tried: list[str] = []
    used: tuple[str, str] | None = None
    if stores:
        payload = _ntriples(triples)
        for url in stores:
            refusal = _graph_store(url, graph_iri, payload, timeout)
            if refusal is None:
                used = ("graph store", url)
                break
            tried.append(f"graph store {url}: {refusal}")
    if used is None:
        for url in updates:
            refusal = _update(url, graph_iri, triples, timeout)
            if refusal is None:
                used = ("update", url)
                break
            tried.append(f"update {url}: {refusal}")
    if used is None:
        raise EndpointError("cannot publish: " + "; ".join(tried))

    rows = engine.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    count = rows[0]["n"] if rows else "no count of"
    if count != len(triples):
        raise EndpointError(
            f"published with {used[0]} at {used[1]}, but graph <{graph_iri}> at {query_url} "
            f"holds {count} triples, not {len(triples)}"
        )
    engine.check_graph(kg.version)
    return PublishResult(graph_iri, used[0], used[1], len(triples), tuple(tried))
