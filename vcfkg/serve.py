"""A local, read-only SPARQL endpoint (with Oxigraph's query page) over the shipped graph.

The graph is loaded with the ``oxigraph`` command line tool (PyPI ``oxigraph``, the
``vcfkg[server]`` extra) into a temporary store, under the same graph name ``vcfkg publish``
uses, and served with ``serve-read-only --union-default-graph``: queries typed into the browser
see the graph without naming it, and ``vcfkg --endpoint`` works against it unchanged.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vcfkg.errors import EndpointError, InvalidArgumentError, MissingExtraError, ServerError
from vcfkg.remote import DEFAULT_GRAPH, RemoteEngine

if TYPE_CHECKING:
    from vcfkg.kg import KnowledgeGraph

START_SECONDS = 20.0
STOP_SECONDS = 10.0


@dataclass(frozen=True)
class Endpoint:
    """A running server: its query URL and its process."""

    query_url: str
    process: subprocess.Popen[bytes]


def oxigraph_command() -> str:
    """The ``oxigraph`` executable: next to this Python first (a virtualenv), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise MissingExtraError("oxigraph server not installed: pip install 'vcfkg[server]'")
    return found


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = " ".join((done.stderr or done.stdout).split())
        raise ServerError(f"{Path(command[0]).name} {command[1]}: failed: {detail}")


def _check_free(host: str, port: int) -> None:
    """Refuse a port another server holds, whose answers would pass for ours."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise ServerError(f"cannot serve on {host}:{port}: {reason.lower()}") from None


def wait_until_answering(
    process: subprocess.Popen[bytes], query_url: str, log: Path, seconds: float = START_SECONDS
) -> None:
    """Return once the server we started answers a query; fail with its log if it exits or stays silent."""
    probe = RemoteEngine(query_url, graph=None, timeout=2.0)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = " ".join(log.read_text(errors="replace").split())
            args = process.args
            program = args[0] if isinstance(args, list | tuple) else args
            raise ServerError(f"{Path(str(program)).name} exited at start: {detail[-500:]}")
        try:
            probe.select("SELECT * WHERE {} LIMIT 1")
        except EndpointError:
            time.sleep(0.1)
            continue
        if process.poll() is None:
            return
    raise ServerError(f"no answer at {query_url} within {seconds:g} s of starting the server")


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a server process we started: terminate, then kill if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_SECONDS)


@contextmanager
def running(port: int = 7878, host: str = "127.0.0.1", *, kg: KnowledgeGraph | None = None) -> Iterator[Endpoint]:
    """The graph of ``kg`` (default: the shipped graph) served read-only on ``host:port`` for the duration of the
    block; :class:`ServerError` when the server cannot start."""
    if not 0 < port < 65536:
        raise InvalidArgumentError(f"port: must be 1-65535, got {port}")
    oxigraph = oxigraph_command()
    _check_free(host, port)
    with tempfile.TemporaryDirectory(prefix="vcfkg-serve-") as directory:
        store, log = Path(directory) / "store", Path(directory) / "server.log"
        location = ["--location", str(store)]
        if kg is None:
            from vcfkg.kg import default_graph

            kg = default_graph()
        source = Path(directory) / "graph.nt"
        source.write_bytes(kg.serialize())
        _run([oxigraph, "load", *location, "--graph", DEFAULT_GRAPH, "--file", str(source)])
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        command = [oxigraph, "serve-read-only", *location, "--bind", bind, "--union-default-graph"]
        with log.open("wb") as output:
            process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        endpoint = Endpoint(f"http://{bind}/query", process)
        try:
            wait_until_answering(process, endpoint.query_url, log)
            yield endpoint
        finally:
            stop(process)


def serve(
    port: int = 7878,
    host: str = "127.0.0.1",
    *,
    announce: Callable[[str], None] = print,
    kg: KnowledgeGraph | None = None,
) -> None:
    """Serve the graph of ``kg`` (default: the shipped graph) until interrupted (Ctrl-C) or the server exits;
    announce the query URL once it answers."""
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main else None  # a kill must not orphan the server
    try:
        with running(port, host, kg=kg) as endpoint:
            announce(f"SPARQL endpoint (read-only): {endpoint.query_url}")
            announce(f"query page: {endpoint.query_url.removesuffix('query')}  (Ctrl-C stops)")
            try:
                code = endpoint.process.wait()
            except KeyboardInterrupt:
                return
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    raise ServerError(f"oxigraph server stopped unexpectedly (exit code {code})")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
