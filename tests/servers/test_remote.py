"""The API and the CLI on a server (``connect``, ``--endpoint``) answer exactly as on the embedded graph.

Test patients are built from the compiled vocabulary itself, so they follow the graph: for each variant one
meeting every criterion by its first alternative, one by its last, one knowing only the question, and
one contradicting its second criterion; plus red flags and a SINS assessment.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

import vcfkg
from vcfkg import cli, serve
from vcfkg.compiled import Compiled
from vcfkg.models import Requirement
from vcfkg.resources import ontology_path

SERVERS = ["oxigraph_url", pytest.param("virtuoso_url", marks=pytest.mark.virtuoso)]
Start = Callable[[], tuple[str, subprocess.Popen[bytes]]]


@cache
def local() -> vcfkg.KnowledgeGraph:
    return vcfkg.load()


def satisfying(compiled: Compiled, requirement: Requirement) -> bool | str:
    if requirement.value is not None:
        return requirement.value
    return next(
        value
        for value in compiled.object_facts[requirement.key]
        if compiled.class_truth.get((str(requirement.required_class), value)) is True
    )


def patients() -> dict[str, dict[str, object]]:
    compiled = local().compiled
    found: dict[str, dict[str, object]] = {}
    for variant in compiled.variants:
        first = {c.requirements[0].key: satisfying(compiled, c.requirements[0]) for c in variant.criteria}
        last = {c.requirements[-1].key: satisfying(compiled, c.requirements[-1]) for c in variant.criteria}
        found[f"variant-{variant.number}-first"] = first
        found[f"variant-{variant.number}-last"] = last
        question = variant.criteria[0].requirements[0]
        found[f"variant-{variant.number}-question-only"] = {question.key: satisfying(compiled, question)}
        second = variant.criteria[1].requirements[0]
        if isinstance(second.value, bool):
            found[f"variant-{variant.number}-contradicted"] = {**first, second.key: not second.value}
    found["red-flags"] = {"question": "imaging", "red_flags": sorted(compiled.red_flags)}
    found["sins"] = {
        "question": "treatment",
        "etiology": "pathologic",
        "sins": {component: next(iter(options)) for component, options in compiled.sins_options.items()},
    }
    return found


PATIENTS = patients()


@pytest.fixture(scope="module", params=SERVERS)
def remote(request: pytest.FixtureRequest) -> vcfkg.KnowledgeGraph:
    """One connection per server, so its vocabulary is compiled (over HTTP) once."""
    return vcfkg.connect(request.getfixturevalue(request.param))


def test_patients_cover_every_status() -> None:
    statuses = {
        status
        for patient in PATIENTS.values()
        for status, found in zip(
            ("matched", "possible", "excluded"), _statuses(local().recommend(patient)), strict=True
        )
        if found
    }
    assert statuses == {"matched", "possible", "excluded"}


def _statuses(answer: object) -> tuple[bool, bool, bool]:
    return bool(answer.matched), bool(answer.possible), bool(answer.excluded)  # type: ignore[attr-defined]


def test_decision_table_compiled_on_the_server_is_the_same(remote: vcfkg.KnowledgeGraph) -> None:
    assert remote.compiled.to_json() == local().compiled.to_json()


def test_variants_and_procedures(remote: vcfkg.KnowledgeGraph) -> None:
    assert [v.to_json() for v in remote.variants()] == [v.to_json() for v in local().variants()]
    assert [p.to_json() for p in remote.procedures()] == [p.to_json() for p in local().procedures()]


@pytest.mark.parametrize("engine", ["compiled", "sparql"])
@pytest.mark.parametrize("name", PATIENTS)
def test_recommend(remote: vcfkg.KnowledgeGraph, name: str, engine: str) -> None:
    patient = PATIENTS[name]
    expected = local().recommend(patient, method=engine, explain=True).to_json()  # type: ignore[arg-type]
    assert remote.recommend(patient, method=engine, explain=True).to_json() == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("command", [["variant", "2"], ["procedures"], ["red-flags"], ["query", "variants"]])
def test_cli_with_endpoint(
    server: str, command: list[str], request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([*command, "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    assert cli.main(["--endpoint", request.getfixturevalue(server), *command, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == expected


def _fails_with(argv: list[str], capsys: pytest.CaptureFixture[str], message: str, code: int = 3) -> None:
    """The command fails with one line on stderr holding ``message``; exit 3 (environment failure) by default."""
    assert cli.main(argv) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    assert message in captured.err, captured.err


def test_cli_unreachable(unused_port: int, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{unused_port}/query"
    _fails_with(["--endpoint", url, "variant", "2"], capsys, f"vcfkg: error: {url}: cannot connect: connection refused")
    _fails_with(["publish", "--endpoint", url], capsys, f"vcfkg: error: {url}: cannot connect: connection refused")


def test_cli_graph_not_found(start_oxigraph: Start, capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = start_oxigraph()
    _fails_with(["--endpoint", url, "variants"], capsys, f"not found at {url}: run vcfkg publish")


def test_cli_timeout(stub_server: Callable[[str], str], capsys: pytest.CaptureFixture[str]) -> None:
    url = stub_server("slow")
    _fails_with(["--endpoint", url, "--timeout", "0.5", "variants"], capsys, "no answer within 0.5 s (timeout)")


def test_cli_server_stopped_mid_run(start_oxigraph: Start, capsys: pytest.CaptureFixture[str]) -> None:
    url, process = start_oxigraph()
    assert cli.main(["publish", "--endpoint", url]) == 0
    assert capsys.readouterr().out.startswith("published ")
    kg = vcfkg.connect(url)
    serve.stop(process)
    with pytest.raises(vcfkg.EndpointError, match="connection refused"):
        kg.variants()
    _fails_with(["--endpoint", url, "variants"], capsys, f"{url}: cannot connect: connection refused")


def test_cli_publish_reports_the_method(oxigraph_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["publish", "--endpoint", oxigraph_url, "--graph", "https://example.org/cli"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("published ")
    assert out.rstrip().endswith("to graph <https://example.org/cli> by graph store at " + oxigraph_url[:-5] + "store")


def test_cli_publish_needs_an_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    _fails_with(["publish"], capsys, "vcfkg: error: publish: give the server's SPARQL query URL with --endpoint URL", 2)


@pytest.mark.parametrize("server", SERVERS)
def test_validate_and_classify_read_the_endpoints_graph(
    server: str, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    """One door: ``--endpoint`` means the published graph for validate and classify too (fetched by CONSTRUCT)."""
    url = request.getfixturevalue(server)
    remote = vcfkg.connect(url)
    fetched, shipped = (kg.serialize().splitlines() for kg in (remote, vcfkg.load()))
    assert len(fetched) == len(shipped)
    assert sorted(t for t in fetched if b"_:" not in t) == sorted(t for t in shipped if b"_:" not in t)
    assert cli.main(["--endpoint", url, "validate", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"conforms": True, "violations": []}
    patient = {"question": "treatment", "symptomatic": False, "etiology": "osteoporotic"}
    assert remote.classify(patient) == vcfkg.load().classify(patient) == frozenset({5})


def test_publish_sends_the_graph_option(
    start_oxigraph: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``vcfkg --graph X publish`` publishes X, not the shipped file."""
    url, _ = start_oxigraph()
    copy = tmp_path / "copy.ttl"
    extra = '<https://example.org/note> <http://www.w3.org/2000/01/rdf-schema#comment> "only in the copy" .\n'
    copy.write_text(ontology_path().read_text(encoding="utf-8") + extra, encoding="utf-8")
    assert cli.main(["--graph", str(copy), "publish", "--endpoint", url]) == 0
    published = vcfkg.connect(url)
    rows = published.engine.select("SELECT ?c WHERE { <https://example.org/note> ?p ?c }")
    assert rows == [{"c": "only in the copy"}]
    assert len(published.serialize().splitlines()) == len(vcfkg.load().serialize().splitlines()) + 1
