"""`vcfkg export --out DIR`: every serialization parses in an independent parser, is the graph of vcf.ttl, carries
the version IRI, and the MANIFEST's sha256 sums are right."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from vcfkg.cli import main
from vcfkg.export import SERIALIZATIONS
from vcfkg.resources import ontology_path

OWL = rdflib.Namespace("http://www.w3.org/2002/07/owl#")
RAPPER_SYNTAX = {"ttl": "turtle", "nt": "ntriples", "rdfxml": "rdfxml"}


@pytest.fixture(scope="module")
def reference() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_path(), format="turtle")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    assert main(["export", "--format", "all", "--out", str(folder)]) == 0
    return folder


def _rapper(path: Path, syntax: str) -> rdflib.Graph:
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.fail("rapper not found: install the Debian package raptor2-utils (sh scripts/install-system-deps)")
    result = subprocess.run(
        [rapper, "-q", "-i", syntax, "-o", "ntriples", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and not result.stderr, f"rapper rejected {path}:\n{result.stderr}"
    return rdflib.Graph().parse(data=result.stdout, format="nt")


def _pyoxigraph(path: Path) -> rdflib.Graph:
    import pyoxigraph

    triples = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.JSON_LD)
    return rdflib.Graph().parse(data=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")


def independent_parse(path: Path, name: str) -> rdflib.Graph:
    """rapper for the formats it reads; pyoxigraph (not rdflib, which wrote the file) for JSON-LD."""
    return _rapper(path, RAPPER_SYNTAX[name]) if name in RAPPER_SYNTAX else _pyoxigraph(path)


@pytest.mark.parametrize("serialization", SERIALIZATIONS, ids=lambda s: s.name)
def test_each_export_parses_independently_as_the_same_graph(exported: Path, reference: rdflib.Graph, serialization):
    path = exported / f"vcf{serialization.suffix}"
    graph = independent_parse(path, serialization.name)
    assert len(graph) == len(reference) > 2000
    assert isomorphic(graph, reference), f"{path.name} is not the graph of vcf.ttl"
    [version] = reference.objects(predicate=OWL.versionIRI)
    assert (None, OWL.versionIRI, version) in graph


def test_manifest_lists_every_file_with_its_sha256(exported: Path) -> None:
    lines = (exported / "MANIFEST").read_text(encoding="utf-8").splitlines()
    listed = dict(reversed(line.split("  ")) for line in lines)
    assert sorted(listed) == sorted(f"vcf{s.suffix}" for s in SERIALIZATIONS)
    for name, digest in listed.items():
        assert hashlib.sha256((exported / name).read_bytes()).hexdigest() == digest
    # the command a user checks the folder with (GNU coreutils)
    assert subprocess.run(["sha256sum", "--quiet", "-c", "MANIFEST"], cwd=exported, check=False).returncode == 0


def test_one_format_and_a_corrupted_file_is_caught(tmp_path: Path, capsys) -> None:
    assert main(["export", "--format", "nt", "--out", str(tmp_path)]) == 0
    written = [Path(line).name for line in capsys.readouterr().out.splitlines()]
    assert written == ["vcf.nt", "MANIFEST"]
    (tmp_path / "vcf.nt").write_text("", encoding="utf-8")
    digest = (tmp_path / "MANIFEST").read_text(encoding="utf-8").split()[0]
    assert digest != hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export"], "--out DIR"),
        (["export", "--format", "ttl"], "--format needs --out"),
        (["export", "--format", "owl", "--out", "x"], "invalid choice"),
    ],
)
def test_export_usage_errors(capsys, argv: list[str], message: str) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
