"""Derived facts are stated once in the graph (vcf:Derivation, read by queries/vocabulary/derivations.rq): the Python
path applies what the query reads, the OWL axioms in vcf.ttl are generated from it, the SHACL shapes and the README
list agree with it, and a copy of the graph without one derivation, or with one criterion changed, is followed by
every path (compiled, SPARQL, HermiT)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rdflib
import support

import vcfkg
from vcfkg import derivation, queries, reasoning
from vcfkg.engines import IRI
from vcfkg.errors import InvalidPatientError
from vcfkg.resources import ontology_path
from vcfkg.validate import validate

README = Path(__file__).parent.parent / "README.md"
VCF = rdflib.Namespace("https://w3id.org/vcfkg/")
README_RULE = re.compile(r"^- `([\w.]+): ([^`]+)` ⇒ `([\w.]+): ([^`]+)`", re.MULTILINE)


def _rows(kg: vcfkg.KnowledgeGraph) -> list[dict]:
    return queries.select(kg.engine, "vocabulary/derivations")


def test_the_graph_states_the_derivations(kg) -> None:
    rules = set(kg.compiled.derivations)
    assert derivation.Derivation("worsening_pain", True, "symptomatic", True) in rules
    assert derivation.Derivation("sins.pain", "none", "mechanical_pain", False) in rules
    assert derivation.Derivation("malignancy_history", True, "red_flags", "history_of_cancer") in rules
    assert len(rules) == len(_rows(kg)) == 8


def test_the_oracle_reads_the_same_derivations(kg) -> None:
    """tests/support.py reads vcf:Derivation with its own rdflib code; both readings give the same rules."""
    assert set(support.RULES) == {tuple(rule) for rule in kg.compiled.derivations}


def test_readme_lists_exactly_the_graphs_derivations(kg) -> None:
    section = README.read_text(encoding="utf-8").split("**Derived facts**", 1)[1].split("\n\n", 2)[1]
    listed = {(a, json.loads(v), b, json.loads(w)) for a, v, b, w in README_RULE.findall(section)}
    assert listed == {tuple(rule) for rule in kg.compiled.derivations}


def test_owl_axioms_in_vcf_ttl_are_the_generated_ones(kg) -> None:
    """Each subclass axiom between two hasValue restrictions in vcf.ttl is a derivation's, and each has one."""
    graph = rdflib.Graph().parse(ontology_path())
    stated = set()
    for sub, sup in graph.subject_objects(rdflib.RDFS.subClassOf):
        if isinstance(sub, rdflib.BNode) and (sub, rdflib.OWL.hasValue, None) in graph:
            stated.add(
                tuple(
                    str(graph.value(node, prop))
                    for node in (sub, sup)
                    for prop in (rdflib.OWL.onProperty, rdflib.OWL.hasValue)
                )
            )
    generated = {
        tuple(
            str(row[k]).lower() if isinstance(row[k], bool) else str(row[k])
            for k in ("ifFact", "ifTerm", "thenFact", "thenTerm")
        )
        for row in _rows(kg)
    }
    assert stated == generated
    assert len(stated) == 8


@pytest.mark.parametrize(
    ("patient", "field", "value", "source"),
    [
        ({"prior_vertebral_augmentation": True}, "previously_treated_vcf", True, "prior_vertebral_augmentation"),
        ({"worsening_pain": True}, "symptomatic", True, "worsening_pain"),
        ({"red_flags": ["history_of_cancer"]}, "malignancy_history", True, "red_flags"),
        ({"sins": {"pain": "mechanical"}}, "mechanical_pain", True, "sins.pain"),
        ({"sins": {"pain": "occasional"}}, "mechanical_pain", False, "sins.pain"),
        ({"sins": {"pain": "none"}}, "mechanical_pain", False, "sins.pain"),
        ({"sins": {"pain": "mechanical"}}, "symptomatic", True, "mechanical_pain"),
    ],
    ids=[
        "augmentation",
        "worsening-pain",
        "cancer-red-flag",
        "sins-mechanical",
        "sins-occasional",
        "sins-none",
        "chain",
    ],
)
def test_derived_fact_and_where_it_came_from(kg, patient: dict, field: str, value: bool, source: str) -> None:
    parsed = kg.parse_patient(patient)
    assert parsed.facts[field] is value
    assert parsed.derived_from[field] == source


def test_malignancy_history_gives_the_cancer_red_flag(kg) -> None:
    answer = kg.recommend({"malignancy_history": True})
    assert [flag.flag for flag in answer.red_flags] == ["history_of_cancer"]
    assert kg.recommend({"malignancy_history": False}).red_flags == ()


def test_a_given_fact_is_not_marked_derived(kg) -> None:
    parsed = kg.parse_patient({"worsening_pain": True, "symptomatic": True})
    assert "symptomatic" not in parsed.derived_from


@pytest.mark.parametrize(
    ("patient", "field", "problem"),
    [
        ({"mechanical_pain": True, "sins": {"pain": "none"}}, "mechanical_pain", "is true, but sins.pain is none"),
        (
            {"mechanical_pain": True, "sins": {"pain": "occasional"}},
            "mechanical_pain",
            "is true, but sins.pain is occasional",
        ),
        (
            {"mechanical_pain": False, "sins": {"pain": "mechanical"}},
            "mechanical_pain",
            "is false, but sins.pain is mechanical",
        ),
        (
            {"symptomatic": False, "sins": {"pain": "mechanical"}},
            "symptomatic",
            "is false, but mechanical_pain is true (derived from sins.pain)",
        ),
        (
            {"malignancy_history": False, "red_flags": ["history_of_cancer"]},
            "malignancy_history",
            "is false, but red flag history_of_cancer is given",
        ),
    ],
    ids=["sins-none", "sins-occasional", "sins-mechanical", "chain", "cancer-red-flag"],
)
def test_contradiction_names_both_facts(kg, patient: dict, field: str, problem: str) -> None:
    with pytest.raises(InvalidPatientError) as raised:
        kg.parse_patient(patient)
    assert (raised.value.field, raised.value.problem) == (field, problem)


REASONS = [
    (
        {"question": "treatment", "etiology": "pathologic", "sins": {"pain": "none"}},
        9,
        "mechanical_pain is false (derived from sins.pain)",
    ),
    ({"question": "treatment", "worsening_pain": True, "etiology": "osteoporotic"}, 5, None),
    ({"question": "imaging", "malignancy_history": True, "red_flags": ["fever"]}, 1, "malignancy_history is true"),
    (
        {"question": "imaging", "red_flags": ["history_of_cancer"]},
        1,
        "malignancy_history is true (derived from red_flags)",
    ),
]


@pytest.mark.parametrize("method", ["compiled", "sparql"])
@pytest.mark.parametrize(("patient", "variant", "reason"), REASONS, ids=["sins", "symptomatic", "given", "red-flag"])
def test_reason_on_a_derived_fact_says_so(kg, method: str, patient: dict, variant: int, reason: str | None) -> None:
    excluded = {e.variant: e.reason for e in kg.recommend(patient, method=method).excluded}  # type: ignore[arg-type]
    expected = reason or "symptomatic is true (derived from worsening_pain)"
    assert excluded[variant] == expected


# -- SHACL: the implication shapes agree with the derivations ------------------------------------------------
def _patient_file(tmp_path: Path, row: dict, then_term: object) -> Path:
    def term(value: object) -> str:
        return f"<{value}>" if isinstance(value, IRI) else json.dumps(value)

    text = (
        f"<http://example.org/p> a <{VCF.PatientDescription}> ;\n"
        f"  <{row['ifFact']}> {term(row['ifTerm'])} ;\n"
        f"  <{row['thenFact']}> {term(then_term)} .\n"
    )
    path = tmp_path / "patient.ttl"
    path.write_text(text, encoding="utf-8")
    return path


CONTRADICTABLE = [
    row for row in queries.select(vcfkg.load().engine, "vocabulary/derivations") if row["thenTerm"] in (True, False)
]


@pytest.mark.parametrize("row", CONTRADICTABLE, ids=lambda row: row["derivation"].rsplit("/", 1)[-1])
def test_shapes_report_a_patient_that_breaks_the_derivation(tmp_path: Path, row: dict) -> None:
    assert not validate([_patient_file(tmp_path, row, not row["thenTerm"])], with_graph=True).conforms
    report = validate([_patient_file(tmp_path, row, row["thenTerm"])], with_graph=True)
    assert report.conforms, report.violations


# -- the proof: every path follows a modified copy of the graph ----------------------------------------------
def _copy(tmp_path: Path, edit) -> vcfkg.KnowledgeGraph:  # edit: (rdflib.Graph) -> None
    graph = rdflib.Graph().parse(ontology_path())
    edit(graph)
    path = tmp_path / "vcf-copy.ttl"
    graph.serialize(path, format="turtle")
    return vcfkg.load(path)


def _matched(kg: vcfkg.KnowledgeGraph, patient: dict, method: str) -> set[int]:
    return {m.variant for m in kg.recommend(patient, method=method).matched}  # type: ignore[arg-type]


@pytest.mark.java
def test_every_path_follows_a_graph_without_a_derivation(kg, tmp_path: Path) -> None:
    """Without "worsening pain ⇒ symptomatic" (its vcf:Derivation node removed; the stale OWL axiom left in place)
    a patient who is symptomatic only through worsening pain no longer matches variant 6, on every path."""
    patient = {"question": "treatment", "etiology": "osteoporotic", "worsening_pain": True, "bone_marrow_edema": True}
    copy = _copy(tmp_path, lambda g: g.remove((VCF["derivation-worsening-pain-symptomatic"], None, None)))
    assert "symptomatic" not in copy.parse_patient(patient).facts
    assert "symptomatic" not in support.derive(patient, support.derivation_rules(tmp_path / "vcf-copy.ttl"))
    for method in ("compiled", "sparql"):
        assert 6 in _matched(kg, patient, method)
        assert 6 not in _matched(copy, patient, method)
    shipped, copied = reasoning.classify_many([patient]), reasoning.classify_many([patient], kg=copy)
    assert 6 in shipped[0] and 6 not in copied[0]


@pytest.mark.java
def test_every_path_follows_a_graph_with_a_changed_criterion(kg, tmp_path: Path) -> None:
    """Variant 5's "symptomatic is false" changed to "symptomatic is true" in a copy: every path follows the copy."""

    def edit(graph: rdflib.Graph) -> None:
        [requirement] = [
            r
            for r in graph.subjects(VCF.hasFact, VCF.symptomatic)
            if (None, VCF.hasRequirement, r) in graph and "variant-5-" in str(r)
        ]
        graph.set((requirement, VCF.requiredValue, rdflib.Literal(True)))

    copy = _copy(tmp_path, edit)
    patient = {"question": "treatment", "symptomatic": True, "etiology": "osteoporotic"}
    for method in ("compiled", "sparql"):
        assert 5 not in _matched(kg, patient, method)
        assert 5 in _matched(copy, patient, method)
    shipped, copied = reasoning.classify_many([patient]), reasoning.classify_many([patient], kg=copy)
    assert 5 not in shipped[0] and 5 in copied[0]


@pytest.mark.java
def test_generated_variant_classes_equal_the_owl_classes_in_vcf_ttl() -> None:
    """HermiT finds each class generated from a variant's criteria equivalent to vcf:VariantNPatient in vcf.ttl."""
    hierarchy = reasoning.hermit_classify({})
    for name, number in reasoning.vocabulary().variant_classes.items():
        assert f"https://w3id.org/vcfkg/Variant{number}Patient" in hierarchy.parents.get(name, set()), number


@pytest.mark.java
def test_hermit_applies_the_sins_derivations() -> None:
    patient = {"question": "treatment", "etiology": "pathologic", "sins": {"pain": "mechanical"}}
    assert reasoning.classify_many([patient]) == [frozenset({9})]
    with pytest.raises(InvalidPatientError) as raised:
        reasoning.classify({"mechanical_pain": True}, sins={"pain": "none"})
    assert "sins.pain: none" in str(raised.value) and "mechanical_pain" in str(raised.value)
