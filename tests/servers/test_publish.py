"""Publishing puts exactly the shipped graph into the server, by Graph Store or by Update, idempotently."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest
import rdflib
import rdflib.compare

import vcfkg
from vcfkg import publish, remote, serve
from vcfkg.errors import EndpointError
from vcfkg.resources import ontology_path

Start = Callable[[], tuple[str, subprocess.Popen[bytes]]]
SERVERS = ["oxigraph_url", pytest.param("virtuoso_url", marks=pytest.mark.virtuoso)]
METHODS = ["graph store", "update"]


def shipped_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_path())


def published_graph(query_url: str, graph: str) -> rdflib.Graph:
    """The named graph as the server holds it, fetched with CONSTRUCT (exact terms, blank nodes too)."""
    answer = remote.form(
        query_url,
        {"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "default-graph-uri": graph},
        timeout=30,
        accept="text/turtle",
    )
    assert answer.ok, answer.describe()
    return rdflib.Graph().parse(data=answer.body, format="turtle")


def count(query_url: str, graph: str) -> int:
    engine = remote.RemoteEngine(query_url, graph=graph)
    return int(engine.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("server", SERVERS)
def test_publishing_twice_leaves_one_exact_copy(server: str, method: str, request: pytest.FixtureRequest) -> None:
    query_url = request.getfixturevalue(server)
    graph = f"https://example.org/published/{method.replace(' ', '-')}"
    stores, updates = publish.siblings(query_url)
    url = stores[0] if method == "graph store" else updates[0]
    urls = {"store_url": url} if method == "graph store" else {"update_url": url}
    shipped = shipped_graph()

    for _ in range(2):
        result = publish.publish(query_url, graph_iri=graph, **urls)
        assert (result.method, result.url, result.triples) == (method, url, len(shipped))
        assert count(query_url, graph) == len(shipped)

    assert rdflib.compare.isomorphic(published_graph(query_url, graph), shipped)


@pytest.mark.parametrize("server", SERVERS)
def test_siblings_of_the_query_url_are_found(server: str, request: pytest.FixtureRequest) -> None:
    query_url = request.getfixturevalue(server)
    expected = {"oxigraph_url": "/store", "virtuoso_url": "/sparql-graph-crud"}[server]
    result = publish.publish(query_url, graph_iri="https://example.org/published/siblings")
    assert result.method == "graph store"
    assert result.url.endswith(expected)
    assert result.tried == ()


def test_update_is_the_fallback_when_the_graph_store_refuses(oxigraph_url: str) -> None:
    base = oxigraph_url.removesuffix("/query")
    result = publish.publish(
        oxigraph_url,
        store_url=base + "/no-graph-store-here",
        update_url=base + "/update",
        graph_iri="https://example.org/published/fallback",
    )
    assert (result.method, result.url) == ("update", base + "/update")
    assert len(result.tried) == 1
    assert result.tried[0].startswith(f"graph store {base}/no-graph-store-here: HTTP 404")
    assert count(oxigraph_url, "https://example.org/published/fallback") == result.triples


def test_a_read_only_server_refuses_with_every_reason(unused_port: int) -> None:
    refused = r"^cannot publish: graph store .*/store: HTTP 403"
    with serve.running(unused_port) as endpoint, pytest.raises(EndpointError, match=refused) as raised:
        publish.publish(endpoint.query_url)
    assert "; update " in str(raised.value)
    assert "\n" not in str(raised.value)


def test_unreachable_server(unused_port: int) -> None:
    with pytest.raises(EndpointError, match=r"cannot connect: connection refused"):
        publish.publish(f"http://127.0.0.1:{unused_port}/query")


def test_chunks_keep_blank_node_structures_whole(kg: vcfkg.KnowledgeGraph) -> None:
    triples = publish.graph_triples(kg)
    chunks = list(publish.chunks(triples, 50))
    assert sorted(map(str, (t for chunk in chunks for t in chunk))) == sorted(map(str, triples))
    owners: dict[str, int] = {}
    for index, chunk in enumerate(chunks):
        for triple in chunk:
            for term in (triple.subject, triple.object):
                if type(term).__name__ == "BlankNode":
                    assert owners.setdefault(term.value, index) == index, f"{term} is split across chunks"
