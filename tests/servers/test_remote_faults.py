"""A failing or wrong endpoint gives one clear EndpointError, never an empty answer."""

from __future__ import annotations

import re
import subprocess
import urllib.parse
from collections.abc import Callable

import pytest

import vcfkg
from vcfkg import remote, serve
from vcfkg.errors import EndpointError, InvalidArgumentError
from vcfkg.namespace import ONTOLOGY_IRI, OWL
from vcfkg.publish import publish
from vcfkg.remote import MESSAGE_LIMIT, RemoteEngine

Start = Callable[[], tuple[str, subprocess.Popen[bytes]]]
SERVERS = ["oxigraph_url", pytest.param("virtuoso_url", marks=pytest.mark.virtuoso)]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_unreachable_port(unused_port: int) -> None:
    url = f"http://127.0.0.1:{unused_port}/query"
    refused = r"cannot connect: connection refused \(is the server running\?\)"
    with pytest.raises(EndpointError, match=refused):
        remote.connect(url)


def test_server_stopped_mid_run(start_oxigraph: Start) -> None:
    url, process = start_oxigraph()
    publish(url)
    engine = remote.connect(url)
    assert engine.select(COUNT)[0]["n"] > 0
    serve.stop(process)
    with pytest.raises(EndpointError, match=rf"^{re.escape(url)}: cannot connect: connection refused"):
        engine.select(COUNT)


def test_slow_server_past_the_timeout(stub_server: Callable[[str], str]) -> None:
    engine = RemoteEngine(stub_server("slow"), timeout=0.5)
    with pytest.raises(EndpointError, match=r"no answer within 0\.5 s \(timeout\)"):
        engine.select(COUNT)


def test_answer_that_is_not_sparql_json(stub_server: Callable[[str], str]) -> None:
    with pytest.raises(EndpointError, match=r"answer is not SPARQL JSON results \(text/html\)"):
        RemoteEngine(stub_server("html")).select(COUNT)


def test_server_hanging_up(stub_server: Callable[[str], str]) -> None:
    hung_up = r"connection lost: the server closed the connection without answering"
    with pytest.raises(EndpointError, match=hung_up):
        RemoteEngine(stub_server("hangup")).select(COUNT)


def test_server_without_our_graph(start_oxigraph: Start) -> None:
    url, _ = start_oxigraph()
    expected = f"graph <{remote.DEFAULT_GRAPH}> not found at {url}: run vcfkg publish"
    with pytest.raises(EndpointError, match=f"^{re.escape(expected)}$"):
        remote.connect(url)


@pytest.mark.parametrize("server", SERVERS)
def test_named_graph_that_is_absent(server: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(server)
    expected = f"graph <https://example.org/absent> not found at {url}: run vcfkg publish"
    with pytest.raises(EndpointError, match=f"^{re.escape(expected)}$"):
        remote.connect(url, graph="https://example.org/absent")


@pytest.mark.parametrize("server", SERVERS)
def test_stale_graph_version(server: str, request: pytest.FixtureRequest) -> None:
    """An old copy of the graph is detected, since its answers could differ from this vcfkg's queries."""
    url = request.getfixturevalue(server)
    graph = "https://example.org/stale"
    old = f'<{ONTOLOGY_IRI}> a <{OWL}Ontology> ; <{OWL}versionInfo> "1999-01-01" .'
    update = f"DROP SILENT GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ {old} }} }}"
    update_url = url.removesuffix("query") + "update" if url.endswith("/query") else url
    answer = remote.form(update_url, {"update": update}, timeout=30, accept="*/*")
    assert answer.ok, answer.describe()
    stale = r"is version 1999-01-01, this vcfkg ships .+: run vcfkg publish$"
    with pytest.raises(EndpointError, match=stale):
        vcfkg.connect(url, graph=graph)


@pytest.mark.parametrize("server", SERVERS)
def test_query_error_carries_the_server_message(server: str, request: pytest.FixtureRequest) -> None:
    engine = RemoteEngine(request.getfixturevalue(server))
    with pytest.raises(EndpointError, match=r": HTTP 400 Bad Request - .+") as raised:
        engine.select("SELECT (COUNT(*) AS ?n WHERE { ?s ?p ?o }")
    message = str(raised.value)
    assert "\n" not in message
    assert len(message) <= len(engine.query_url) + len(": HTTP 400 Bad Request - ") + MESSAGE_LIMIT


@pytest.mark.parametrize("server", SERVERS)
def test_wrong_path_is_an_http_error(server: str, request: pytest.FixtureRequest) -> None:
    parts = urllib.parse.urlsplit(request.getfixturevalue(server))
    with pytest.raises(EndpointError, match=r"HTTP 404 Not Found"):
        remote.connect(f"{parts.scheme}://{parts.netloc}/no-such-endpoint")


@pytest.mark.parametrize("url", ["127.0.0.1:7878/query", "ftp://127.0.0.1/query", "http:///query"])
def test_not_an_http_url(url: str) -> None:
    with pytest.raises(InvalidArgumentError, match=r"^endpoint: not an http\(s\) URL: "):
        RemoteEngine(url)


def test_timeout_must_be_positive() -> None:
    with pytest.raises(InvalidArgumentError, match=r"^timeout: must be positive"):
        RemoteEngine("http://127.0.0.1:7878/query", timeout=0)


def test_query_path_is_read_only(oxigraph_url: str) -> None:
    """The engine sends queries only: an update sent as a query is refused by the server, not executed."""
    engine = RemoteEngine(oxigraph_url)
    before = engine.select(COUNT)
    with pytest.raises(EndpointError, match="HTTP 400"):
        engine.select(f"DROP GRAPH <{remote.DEFAULT_GRAPH}>")
    assert engine.select(COUNT) == before
