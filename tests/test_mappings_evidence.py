"""The mapping set's evidence in RDF: mappings/vcfkg.sssom.ttl is what sssom-py writes from the SSSOM TSV, every
row keeps its justification, see_also and comment, the rows to check carry a machine-readable curation rule, and a
SPARQL user can leave those links out. The RadLex Playbook stand-ins are outside the vcfkg term namespace."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from vcfkg.codesystems import BY_PREFIX
from vcfkg.mappings import mapping_rdf_path, mapping_set_path, write_mapping_rdf
from vcfkg.namespace import VCF_IRI
from vcfkg.resources import ontology_path

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
NEEDS_CHECK = VCF_IRI + "mapping-needs-check"


def _rows() -> list[dict[str, str]]:
    text = "".join(line for line in mapping_set_path().open(encoding="utf-8") if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


def test_shipped_rdf_is_what_sssom_py_writes(tmp_path: Path) -> None:
    """Rewrite it with `python -m vcfkg.mappings` after editing the TSV."""
    fresh = write_mapping_rdf(tmp_path / "fresh.ttl")
    shipped = rdflib.Graph().parse(mapping_rdf_path(), format="turtle")
    assert len(shipped) > 2000
    assert isomorphic(shipped, rdflib.Graph().parse(fresh, format="turtle"))


def test_rows_to_check_carry_the_curation_rule() -> None:
    rows = _rows()
    flagged = [row for row in rows if "CHECK:" in row["comment"]]
    assert len(flagged) >= 10
    assert all(row["curation_rule"] == "vcf:mapping-needs-check" for row in flagged)
    assert all(not row["curation_rule"] for row in rows if "CHECK:" not in row["comment"])


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    """The graph and the mapping set's RDF, loaded together as a SPARQL user would."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(ontology_path()), format=pyoxigraph.RdfFormat.TURTLE)
    store.bulk_load(path=str(mapping_rdf_path()), format=pyoxigraph.RdfFormat.TURTLE)
    return store


QUERY = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sssom: <https://w3id.org/sssom/>
PREFIX vcf: <https://w3id.org/vcfkg/>
SELECT ?term ?predicate ?code ?comment ?check WHERE {
  ?term ?predicate ?code .
  ?axiom owl:annotatedSource ?term ; owl:annotatedProperty ?predicate ; owl:annotatedTarget ?code ;
    sssom:mapping_justification ?why ; rdfs:comment ?comment .
  BIND(EXISTS { ?axiom sssom:curation_rule vcf:mapping-needs-check } AS ?check)
}
"""


def test_every_link_in_the_graph_has_its_evidence_and_flag(store: pyoxigraph.Store) -> None:
    skos = "http://www.w3.org/2004/02/skos/core#"
    links = {
        (str(s.value), str(p.value), str(o.value))
        for s, p, o, _ in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
        if p.value.startswith(skos) and p.value.endswith("Match") and isinstance(o, pyoxigraph.NamedNode)
    }
    answered = {(r["term"].value, r["predicate"].value, r["code"].value): r for r in store.query(QUERY)}
    assert links and links <= set(answered)
    for key in links:
        row = answered[key]
        assert (row["check"].value == "true") == ("CHECK:" in row["comment"].value), key


def test_readme_shows_the_filter(store: pyoxigraph.Store) -> None:
    assert "sssom:curation_rule vcf:mapping-needs-check" in README
    assert "mappings/vcfkg.sssom.ttl" in README


def test_playbook_stand_ins_are_outside_the_term_namespace() -> None:
    rpid = BY_PREFIX["rpid"].uri_prefix
    assert not rpid.startswith(VCF_IRI)
    text = ontology_path().read_text(encoding="utf-8")
    assert VCF_IRI + "rpid/" not in text and text.count(rpid) >= 40
    assert f"#  rpid: {rpid}" in mapping_set_path().read_text(encoding="utf-8")
