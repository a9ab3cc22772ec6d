"""The compiled vocabulary: loading checks that the graph is vcfkg's (header, version, variants 1 to 9)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF

import vcfkg
from vcfkg.errors import GraphLoadError
from vcfkg.namespace import ONTOLOGY_IRI, VCF_IRI
from vcfkg.resources import ontology_path


def _without(tmp_path: Path, triple: tuple[object, object, object]) -> Path:
    """A copy of the shipped graph without the triples matching ``triple`` (None matches anything)."""
    graph = rdflib.Graph().parse(ontology_path())
    graph.remove(triple)  # type: ignore[arg-type]
    path = tmp_path / "copy.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    return path


VCF = rdflib.Namespace(VCF_IRI)
NOT_VCFKG = {
    "one-triple": (None, f"not the vcfkg graph: no ontology header <{ONTOLOGY_IRI}> a owl:Ontology"),
    "no-version": ((rdflib.URIRef(ONTOLOGY_IRI), OWL.versionInfo, None), "needs one owl:versionInfo, found none"),
    "variant-1-unnumbered": (
        (VCF["variant-1"], VCF.variantNumber, None),
        f"variant <{VCF_IRI}variant-1> has no whole vcf:variantNumber",
    ),
    "no-variant-9": ((VCF["variant-9"], RDF.type, None), "expected variants numbered 1 to 9, no variant 9"),
}


@pytest.mark.parametrize(("removed", "message"), NOT_VCFKG.values(), ids=NOT_VCFKG)
@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_a_graph_that_is_not_vcfkgs_is_refused_and_not_cached(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    removed: tuple[object, object, object] | None,
    message: str,
    store: str,
) -> None:
    monkeypatch.setenv("VCFKG_CACHE_DIR", str(tmp_path / "cache"))
    if removed is None:
        path = tmp_path / "one.ttl"
        path.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    else:
        path = _without(tmp_path, removed)
    with pytest.raises(GraphLoadError, match=f"^{re.escape(str(path))}: .*{re.escape(message)}"):
        vcfkg.load(path, store=store)  # type: ignore[arg-type]
    assert not list((tmp_path / "cache").glob("compiled-*.json"))
    with pytest.raises(GraphLoadError, match=re.escape(message)):  # still refused: nothing was cached as valid
        vcfkg.load(path, store=store)  # type: ignore[arg-type]


def test_cli_refuses_a_graph_that_is_not_vcfkgs_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "one.ttl"
    path.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    for command in (["variants"], ["variant", "1"], ["red-flags"]):
        done = subprocess.run(
            [sys.executable, "-m", "vcfkg", "--graph", str(path), *command], capture_output=True, text=True, check=False
        )
        assert (done.returncode, done.stdout) == (2, ""), command
        assert (
            done.stderr
            == f"vcfkg: error: {path}: not the vcfkg graph: no ontology header <{ONTOLOGY_IRI}> a owl:Ontology\n"
        )


def test_one_record_type_for_a_variant(kg) -> None:
    """The API's variant is the compiled vocabulary's record, criteria included (no second copy of a variant)."""
    for number in range(1, 10):
        variant = kg.variant(number)
        assert type(variant) is vcfkg.Variant
        assert variant is kg.compiled.variants[number - 1]
        assert variant.criteria and all(c.requirements for c in variant.criteria)
        assert "criteria" not in variant.to_json()  # the printed table only
