"""Real SPARQL servers for the tests, each started on a free loopback port in a temporary directory.

Every fixture stops the server it started, by its process, in its teardown (which runs on failure
too). Virtuoso is started with a private ``virtuoso.ini``; when it cannot be started the tests that
need it fail with the reason. Deselect them on purpose with ``-m "not virtuoso"``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from support import Reply, Stub

from vcfkg import serve
from vcfkg.errors import ServerError
from vcfkg.publish import publish

VIRTUOSO_START_SECONDS = 90.0
ISQL_SECONDS = 60.0


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def unused_port() -> int:
    return free_port()


@contextmanager
def server_process(
    command: list[str], directory: Path, query_url: str, seconds: float = serve.START_SECONDS
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server in ``directory``, wait until it answers SPARQL, and always stop it by its PID."""
    log = directory / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=directory, stdout=output, stderr=subprocess.STDOUT)
    try:
        try:
            serve.wait_until_answering(process, query_url, log, seconds)
        except ServerError as error:
            pytest.fail(f"cannot start {' '.join(command)}: {error}")
        yield process
    finally:
        serve.stop(process)


@contextmanager
def oxigraph_server(directory: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``oxigraph serve`` (read-write, empty) on a free port: its query URL and process."""
    port = free_port()
    command = [serve.oxigraph_command(), "serve", "--location", str(directory / "store")]
    url = f"http://127.0.0.1:{port}/query"
    with server_process([*command, "--bind", f"127.0.0.1:{port}"], directory, url) as process:
        yield url, process


@pytest.fixture
def start_oxigraph(tmp_path: Path) -> Iterator[Callable[[], tuple[str, subprocess.Popen[bytes]]]]:
    """Start fresh, empty Oxigraph servers for one test; all are stopped when the test ends."""
    with ExitStack() as stack:
        count = iter(range(100))

        def start() -> tuple[str, subprocess.Popen[bytes]]:
            directory = tmp_path / f"oxigraph-{next(count)}"
            directory.mkdir()
            return stack.enter_context(oxigraph_server(directory))

        yield start


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A read-write Oxigraph server shared by the session's tests, with the graph published."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as (url, _):
        publish(url)
        yield url


VIRTUOSO_INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def _virtuoso_programs() -> tuple[str, str]:
    server = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql-v")
    if server is None or isql is None:
        pytest.fail("Virtuoso not installed (virtuoso-t, isql-vt): apt-get install -y virtuoso-opensource")
    return server, isql


@pytest.fixture(scope="session")
def virtuoso_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Virtuoso open source on loopback ports, SPARQL update granted to anonymous SPARQL, graph published."""
    server, isql = _virtuoso_programs()
    directory = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    (directory / "virtuoso.ini").write_text(VIRTUOSO_INI.format(sql_port=sql_port, http_port=http_port))
    url = f"http://127.0.0.1:{http_port}/sparql"
    command = [server, "+foreground", "+configfile", "virtuoso.ini"]
    with server_process(command, directory, url, VIRTUOSO_START_SECONDS):
        grant = [isql, f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";']
        try:
            done = subprocess.run(grant, capture_output=True, text=True, timeout=ISQL_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            pytest.fail(f"isql did not finish granting SPARQL_UPDATE within {ISQL_SECONDS:g} s")
        output = " ".join((done.stdout + done.stderr).split())
        if done.returncode != 0 or "Error" in output:
            pytest.fail(f"cannot grant SPARQL_UPDATE with isql: {output}")
        publish(url)
        yield url


STUB_REPLIES = {
    "slow": Reply(delay=10.0),  # answers nothing within any test's timeout
    "html": Reply(headers={"Content-Type": "text/html"}, body=b"<html><body><h1>Welcome</h1></body></html>"),
    "hangup": Reply(raw=b""),  # closes the connection without a word
}


@pytest.fixture
def stub_server() -> Iterator[Callable[[str], str]]:
    """Start a misbehaving 'SPARQL server' (tests/support.py's Stub) by name: slow, html or hangup; returns its URL.
    Each is stopped at teardown."""
    stubs: list[Stub] = []

    def start(behaviour: str) -> str:
        stub = Stub()
        stub.reply = STUB_REPLIES[behaviour]
        stubs.append(stub)
        return stub.url

    try:
        yield start
    finally:
        for stub in stubs:
            stub.close()


# -- Apache Jena ARQ ------------------------------------------------------------------------------------------
DEBIAN_JAVA = Path("/usr/share/java")
JENA_JARS = (
    "jena-arq", "jena-base", "jena-core", "jena-iri", "commons-cli", "commons-codec", "commons-compress",
    "commons-csv", "commons-io", "commons-lang3", "dexx.collection", "gson", "guava", "httpclient", "httpcore",
    "jackson-core", "jackson-databind", "jackson-annotations", "jsonld-java", "slf4j-api", "slf4j-simple", "thrift",
    "titanium-json-ld", "jakarta.json-api",
)  # fmt: skip
ARQ_SELECT = Path(__file__).parent / "java" / "ArqSelect.java"
ARQ_END = "#--end--"


def jena_classpath(folder: Path) -> str:
    """Debian's libapache-jena-java jars, plus a side jar with the message bundles of Jena's shaded Xerces.

    Debian's build moved the shaded Xerces classes to the package ``xerces`` but left their ``.properties``
    bundles under ``org/apache/jena/ext/xerces/``, so Jena fails when it first parses a typed literal; the side
    jar puts copies where the classes look for them.
    """
    core = DEBIAN_JAVA / "jena-core.jar"
    if not core.exists() or shutil.which("java") is None:
        pytest.fail("Apache Jena not installed (libapache-jena-java, a Java runtime): sh scripts/install-system-deps")
    side = folder / "jena-xerces-messages.jar"
    with zipfile.ZipFile(core) as source, zipfile.ZipFile(side, "w") as target:
        for name in source.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                target.writestr("xerces/" + name.removeprefix("org/apache/jena/ext/xerces/"), source.read(name))
    jars = [DEBIAN_JAVA / f"{name}.jar" for name in JENA_JARS]
    return ":".join([str(side), *(str(jar) for jar in jars if jar.exists())])


def arq_select(classpath: str, data: Path, texts: list[str]) -> list[list[dict[str, object]]]:
    """Run SELECT queries with ARQ over ``data`` in one Java process; each answer as vcfkg rows."""
    from vcfkg.remote import parse_results

    script = "".join(f"{text}\n{ARQ_END}\n" for text in texts)
    done = subprocess.run(
        ["java", "-cp", classpath, str(ARQ_SELECT), str(data)],
        input=script,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"ARQ failed: {done.stderr[-2000:]}")
    answers = done.stdout.split(ARQ_END + "\n")[: len(texts)]
    for text, answer in zip(texts, answers, strict=True):
        if answer.startswith("#--error--"):
            pytest.fail(f"ARQ refused a query: {answer.strip()}\n{text}")
    return [parse_results(answer.encode()) for answer in answers]
