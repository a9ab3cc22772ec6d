"""``vcfkg serve``: a read-only endpoint over the shipped graph, on loopback, that vcfkg itself can query."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import vcfkg
from vcfkg import serve
from vcfkg.errors import EndpointError, InvalidArgumentError, ServerError
from vcfkg.remote import RemoteEngine

SERVE_SECONDS = 30.0


def test_served_graph_answers_like_the_embedded_one(unused_port: int) -> None:
    with serve.running(unused_port) as endpoint:
        assert endpoint.query_url == f"http://127.0.0.1:{unused_port}/query"
        remote = vcfkg.connect(endpoint.query_url)
        assert remote.compiled.to_json() == vcfkg.load().compiled.to_json()
        # the browser's query page sees the graph without naming it (union default graph)
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert RemoteEngine(endpoint.query_url, graph=None).select(count) == remote.engine.select(count)
    assert endpoint.process.poll() is not None


def test_port_in_use_is_refused(unused_port: int) -> None:
    in_use = rf"^cannot serve on 127\.0\.0\.1:{unused_port}: address already in use$"
    with serve.running(unused_port), pytest.raises(ServerError, match=in_use), serve.running(unused_port):
        pass


def test_bad_port() -> None:
    with pytest.raises(InvalidArgumentError, match=r"^port: must be 1-65535, got 70000$"), serve.running(70000):
        pass


@pytest.fixture
def serve_command(unused_port: int) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """``python -m vcfkg serve`` as a user runs it; stopped by its PID at teardown if the test did not."""
    command = [sys.executable, "-m", "vcfkg", "serve", "--port", str(unused_port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield process, unused_port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(SERVE_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(SERVE_SECONDS)


def test_cli_serve_prints_the_url_and_stops_its_server(serve_command: tuple[subprocess.Popen[str], int]) -> None:
    process, port = serve_command
    assert process.stdout is not None
    first = process.stdout.readline()  # printed once the server answers
    url = f"http://127.0.0.1:{port}/query"
    assert first == f"SPARQL endpoint (read-only): {url}\n", process.stderr.read() if process.stderr else ""
    assert vcfkg.connect(url).variant(1).number == 1

    process.send_signal(signal.SIGTERM)
    assert process.wait(SERVE_SECONDS) == 0
    deadline = time.monotonic() + SERVE_SECONDS
    while time.monotonic() < deadline:  # the oxigraph child is gone with it
        try:
            RemoteEngine(url, graph=None, timeout=1).select("SELECT * WHERE {} LIMIT 1")
        except EndpointError as error:
            assert "connection refused" in str(error)
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the oxigraph server still answers at {url} after vcfkg serve stopped")


def test_serve_serves_the_graph_it_is_given(unused_port: int, tmp_path: Path) -> None:
    """One door: ``vcfkg --graph X serve`` serves X."""
    from vcfkg.resources import ontology_path

    copy = tmp_path / "copy.ttl"
    extra = '<https://example.org/note> <http://www.w3.org/2000/01/rdf-schema#comment> "only in the copy" .\n'
    copy.write_text(ontology_path().read_text(encoding="utf-8") + extra, encoding="utf-8")
    with serve.running(unused_port, kg=vcfkg.load(copy)) as endpoint:
        rows = RemoteEngine(endpoint.query_url, graph=None).select(
            "SELECT ?c WHERE { <https://example.org/note> ?p ?c }"
        )
    assert rows == [{"c": "only in the copy"}]
