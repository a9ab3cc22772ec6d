"""One table of RDF formats by file extension, the same for every command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from vcfkg.cli import main
from vcfkg.errors import GraphLoadError
from vcfkg.formats import RDF_FORMATS, is_rdf, oxigraph_format, rdflib_format

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.mark.parametrize("extension", sorted(RDF_FORMATS))
def test_every_extension_has_a_format_in_both_parsers(extension: str) -> None:
    path = Path("file" + extension.upper())  # case does not matter
    assert is_rdf(path)
    assert oxigraph_format(path) == getattr(pyoxigraph.RdfFormat, RDF_FORMATS[extension][0])
    assert rdflib.plugin.get(rdflib_format(path), rdflib.parser.Parser)


def test_json_is_a_patient_and_unknown_extensions_are_named() -> None:
    assert not is_rdf("patient.json")
    with pytest.raises(GraphLoadError, match=r"^p\.csv: unknown RDF format '\.csv'; use one of \.ttl, "):
        oxigraph_format(Path("p.csv"))


def test_owl_patient_is_read_by_recommend_and_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``.owl`` (RDF/XML) is read by every command; it used to be read by validate and refused by recommend."""
    graph = rdflib.Graph().parse(EXAMPLES / "patient.ttl")
    patient = tmp_path / "patient.owl"
    graph.serialize(patient, format="xml")
    assert main(["recommend", str(patient), "--format", "json"]) == 0
    from_owl = json.loads(capsys.readouterr().out)
    assert main(["recommend", str(EXAMPLES / "patient.ttl"), "--format", "json"]) == 0
    assert from_owl == json.loads(capsys.readouterr().out)
    assert main(["validate", str(patient), "--with-graph"]) == 0
    assert capsys.readouterr().out.endswith("Conforms: no violations.\n")
    copy = tmp_path / "patient.jsonld"
    shutil.copy(EXAMPLES / "patient.ttl", tmp_path / "p.ttl")
    rdflib.Graph().parse(tmp_path / "p.ttl").serialize(copy, format="json-ld")
    assert main(["recommend", str(copy), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == from_owl
