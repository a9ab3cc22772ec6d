"""The QC checks (queries/qc/*-violation.rq) pass on the shipped graph and catch what they are for.

Each check runs on rdflib and on pyoxigraph: zero rows on ontology/vcf.ttl, and exactly the expected rows on
a small graph with the fault (tests/data/qc/<check>.ttl), so a check that can never fail is caught too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vcfkg import queries
from vcfkg.engines import IRI, OxigraphEngine, RdflibEngine
from vcfkg.resources import ontology_path

FIXTURES = Path(__file__).parent.parent / "data" / "qc"
ENGINES = {"oxigraph": OxigraphEngine, "rdflib": RdflibEngine}
VCF = "https://w3id.org/vcfkg/"

EXPECTED = {
    "missing-label": [{"term": IRI(VCF + "FrenchOnly")}, {"term": IRI(VCF + "NoLabel")}],
    "missing-definition": [{"term": IRI(VCF + "NoDefinition")}, {"term": IRI(VCF + "Untagged")}],
    "duplicate-label": [{"label": "modality", "term": IRI(VCF + "Modality"), "other": IRI(VCF + "hasModality")}],
    "deep-class-chain": [
        {
            "term": IRI(VCF + "RareEtiology"),
            "middle": IRI(VCF + "OsteoporoticEtiology"),
            "upper": IRI(VCF + "BenignEtiology"),
            "top": IRI(VCF + "Etiology"),
        }
    ],
    "undeclared-term": [
        {"term": IRI(VCF + "hasCatgory"), "position": "predicate"},
        {"term": IRI(VCF + "usually-appropiate"), "position": "object"},
    ],
}
CHECKS = sorted(
    name.removeprefix("qc/").removesuffix("-violation") for name in queries.registry() if name.startswith("qc/")
)


def test_every_check_has_a_fixture_and_an_expectation() -> None:
    assert sorted(EXPECTED) == CHECKS
    assert sorted(p.stem for p in FIXTURES.glob("*.ttl")) == CHECKS


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("check", CHECKS)
def test_check_passes_on_the_shipped_graph(check: str, engine: str) -> None:
    rows = ENGINES[engine].from_files([ontology_path()]).select(queries.get(f"qc/{check}-violation").text)
    assert rows == [], f"qc/{check}-violation finds problems in {ontology_path().name}: {rows}"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("check", CHECKS)
def test_check_finds_the_fault_in_its_fixture(check: str, engine: str) -> None:
    rows = ENGINES[engine].from_files([FIXTURES / f"{check}.ttl"]).select(queries.get(f"qc/{check}-violation").text)
    assert rows == EXPECTED[check]


@pytest.mark.parametrize("check", CHECKS)
def test_check_takes_no_parameters(check: str) -> None:
    assert queries.get(f"qc/{check}-violation").parameters == ()
