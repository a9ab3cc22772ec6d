"""vcf.ttl parses in three independent Turtle parsers (rdflib, pyoxigraph, rapper) and they read the same graph."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from vcfkg.resources import ontology_path


def _rapper() -> str:
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.fail("rapper not found: install the Debian package raptor2-utils (sh scripts/install-system-deps)")
    return rapper


def parse_with_rdflib(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def parse_with_pyoxigraph(path: Path) -> rdflib.Graph:
    import pyoxigraph

    triples = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    ntriples = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=ntriples, format="nt")


def parse_with_rapper(path: Path) -> rdflib.Graph:
    result = subprocess.run(
        [_rapper(), "-q", "-i", "turtle", "-o", "ntriples", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and not result.stderr, f"rapper rejected {path}:\n{result.stderr}"
    return rdflib.Graph().parse(data=result.stdout, format="nt")


PARSERS: dict[str, Callable[[Path], rdflib.Graph]] = {
    "rdflib": parse_with_rdflib,
    "pyoxigraph": parse_with_pyoxigraph,
    "rapper": parse_with_rapper,
}


@pytest.fixture(scope="module")
def reference() -> rdflib.Graph:
    return parse_with_rdflib(ontology_path())


@pytest.mark.parametrize("parser", PARSERS)
def test_parser_reads_the_same_graph(parser: str, reference: rdflib.Graph) -> None:
    graph = PARSERS[parser](ontology_path())
    assert len(graph) == len(reference) > 2000
    assert isomorphic(graph, reference), f"{parser} reads a different graph than rdflib"


def test_rapper_check_mode_counts_every_triple(reference: rdflib.Graph) -> None:
    """`rapper -i turtle -c`, the command a maintainer runs by hand, accepts the file without warnings."""
    result = subprocess.run(
        [_rapper(), "-i", "turtle", "-c", str(ontology_path())], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "Error" not in result.stderr, result.stderr
    assert f"returned {len(reference)} triples" in result.stderr


@pytest.mark.parametrize("parser", PARSERS)
def test_parser_rejects_broken_turtle(parser: str, tmp_path: Path) -> None:
    """The checks above can fail: each parser refuses a file with a statement missing its object."""
    broken = tmp_path / "broken.ttl"
    broken.write_text("PREFIX ex: <https://example.org/>\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises((AssertionError, SyntaxError)):
        PARSERS[parser](broken)
