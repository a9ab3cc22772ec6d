"""The OWL path: HermiT's classification of patients equals the plain-Python reading of the criteria and the
compiled and SPARQL paths, on every variant's canonical patient, each single-fact flip of it, overlaps, and the
2,000 seeded random patients of tests/test_matching.py; contradictions and bad input are typed errors.

All patients of the equivalence tests are classified in one HermiT run (a session fixture); Java is needed and
its absence fails these tests rather than skipping them.
"""

from __future__ import annotations

import pytest
import support as oracle
from support import CANONICAL, CASES, RANDOM

from vcfkg.errors import EnvironmentFailure, InvalidPatientError, ReasonerError
from vcfkg.reasoning import classify, classify_many

OVERLAPS = {
    "v6+v8": ({**CANONICAL[6], "worsening_pain": True}, {6, 8}),
    "v1+v3": ({**CANONICAL[1], "new_back_pain": True, "multiple_vcfs": True}, {1, 3}),
    "v2+v3": ({**CANONICAL[2], "new_back_pain": True, "previously_treated_vcf": True}, {2, 3}),
    "v6+v7+v8": ({**CANONICAL[7], "etiology": "osteoporotic", "bone_marrow_edema": True, "deformity": True}, {6, 7, 8}),
}
FLIPS = {case.id: case.values[0] for case in CASES}


def _key(patient: dict) -> str:
    return repr(sorted(patient.items()))


@pytest.fixture(scope="session")
def owl_answers() -> dict[str, frozenset[int]]:
    """Every patient of this module, classified by HermiT in one run."""
    patients = [*FLIPS.values(), *(p for p, _ in OVERLAPS.values()), *RANDOM]
    return {_key(p): answer for p, answer in zip(patients, classify_many(patients), strict=True)}


@pytest.mark.java
@pytest.mark.parametrize("number", sorted(CANONICAL), ids=[f"v{n}" for n in sorted(CANONICAL)])
def test_canonical_patient_classifies_into_its_variant(owl_answers, number: int) -> None:
    assert number in owl_answers[_key(CANONICAL[number])]
    assert owl_answers[_key(CANONICAL[number])] == oracle.matched(CANONICAL[number])


@pytest.mark.java
@pytest.mark.parametrize("case", FLIPS)
def test_owl_equals_sparql_equals_oracle(kg, owl_answers, case: str) -> None:
    """Canonical patients and each single-fact flip: OWL == SPARQL (recommend.rq) == the plain-Python reading."""
    patient = FLIPS[case]
    sparql = {m.variant for m in kg.recommend(patient, method="sparql").matched}
    assert owl_answers[_key(patient)] == sparql == oracle.matched(patient)


@pytest.mark.java
@pytest.mark.parametrize("overlap", OVERLAPS)
def test_overlapping_variants_are_all_classified(owl_answers, overlap: str) -> None:
    patient, expected = OVERLAPS[overlap]
    assert owl_answers[_key(patient)] == expected


@pytest.mark.java
def test_random_patients_owl_equals_compiled_equals_oracle(kg, owl_answers) -> None:
    """2,000 seeded random patients (test_matching shows compiled == SPARQL on the same patients)."""
    disagreements = [
        (patient, owl_answers[_key(patient)], oracle.matched(patient))
        for patient in RANDOM
        if not owl_answers[_key(patient)]
        == {m.variant for m in kg.recommend(patient).matched}
        == oracle.matched(patient)
    ]
    assert not disagreements, f"{len(disagreements)} disagreements, first: {disagreements[0]}"
    assert sum(1 for p in RANDOM if owl_answers[_key(p)]) > 100, "too few random patients match any variant"


@pytest.mark.java
def test_classify_one_patient_with_red_flags() -> None:
    """classify(): the history_of_cancer red flag gives malignancy history through the ontology's axiom."""
    facts = {"question": "imaging", "new_fracture": True, "symptomatic": True, "seen_on_radiographs": True}
    assert classify(facts, ["history_of_cancer", "fever"]) == {2}
    assert classify({**CANONICAL[6], "worsening_pain": True}) == {6, 8}
    assert classify({}) == frozenset()


@pytest.mark.java
@pytest.mark.parametrize(
    ("facts", "red_flags", "field", "against"),
    [
        ({"symptomatic": False, "worsening_pain": True}, [], "symptomatic", "worsening_pain: true"),
        (
            {"question": "treatment", "mechanical_pain": True, "symptomatic": False},
            [],
            "mechanical_pain",
            "symptomatic",
        ),
        ({"malignancy_history": False}, ["history_of_cancer"], "malignancy_history", "red_flags: history_of_cancer"),
        (
            {"prior_vertebral_augmentation": True, "previously_treated_vcf": False},
            [],
            "prior_vertebral_augmentation",
            "previously_treated_vcf: false",
        ),
    ],
    ids=["worsening-pain", "mechanical-pain", "history-of-cancer", "prior-augmentation"],
)
def test_contradiction_raises_naming_the_facts(facts: dict, red_flags: list, field: str, against: str) -> None:
    with pytest.raises(InvalidPatientError) as raised:
        classify(facts, red_flags)
    assert raised.value.field == field
    assert against in raised.value.problem and "contradicts" in raised.value.problem


@pytest.mark.java
def test_batch_names_the_contradictory_patient_by_index() -> None:
    patients = [CANONICAL[1], {"symptomatic": False, "worsening_pain": True}]
    with pytest.raises(InvalidPatientError) as raised:
        classify_many(patients)
    assert raised.value.field == "patients[1].symptomatic"


@pytest.mark.parametrize(
    ("facts", "field", "problem"),
    [
        ({"symptomatic": "yes"}, "symptomatic", "must be true or false"),
        ({"question": "surgery"}, "question", "must be one of imaging, treatment"),
        ({"etiology": True}, "etiology", "must be one of benign, osteoporotic, pathologic"),
        ({"new_fracure": True}, "new_fracure", "unknown fact"),
        ({"red_flags": ["fever"]}, "red_flags", "red_flags argument"),
    ],
    ids=["boolean-type", "question-value", "etiology-type", "unknown-key", "red-flags-in-facts"],
)
def test_bad_input_is_a_typed_error(facts: dict, field: str, problem: str) -> None:
    with pytest.raises(InvalidPatientError) as raised:
        classify(facts)
    assert raised.value.field == field and problem in raised.value.problem


def test_unknown_red_flag_is_a_typed_error() -> None:
    with pytest.raises(InvalidPatientError, match="unknown red flag 'feverish'") as raised:
        classify({}, ["feverish"])
    assert raised.value.field == "red_flags"


def test_missing_java_is_an_environment_failure_exit_3(monkeypatch, tmp_path, capsys) -> None:
    import json

    import owlready2

    from vcfkg.cli import main

    monkeypatch.setattr(owlready2, "JAVA_EXE", "no-such-java-runtime")
    with pytest.raises(ReasonerError, match="Java not found") as raised:
        classify(CANONICAL[1])
    assert isinstance(raised.value, EnvironmentFailure)
    patient = tmp_path / "patient.json"
    patient.write_text(json.dumps(CANONICAL[1]))
    assert main(["classify", str(patient)]) == 3
    captured = capsys.readouterr()
    assert (
        captured.out == "" and captured.err.startswith("vcfkg: error: Java not found") and captured.err.count("\n") == 1
    )


def test_no_patients_need_no_reasoner() -> None:
    assert classify_many([]) == []


@pytest.mark.java
def test_classify_reasons_over_the_given_graph(tmp_path, capsys) -> None:
    """``vcfkg --graph X classify`` reasons over X: if X asks variant 1 for an old fracture, its patient is not 1."""
    import json

    import rdflib

    import vcfkg
    from vcfkg.cli import main
    from vcfkg.resources import ontology_path

    graph = rdflib.Graph().parse(ontology_path())
    requirement = rdflib.URIRef("https://w3id.org/vcfkg/variant-1-criterion-2-requirement-1")
    graph.set((requirement, rdflib.URIRef("https://w3id.org/vcfkg/requiredValue"), rdflib.Literal(False)))
    copy = tmp_path / "copy.ttl"
    graph.serialize(copy, format="turtle")
    patient = tmp_path / "patient.json"
    patient.write_text(json.dumps(CANONICAL[1]))

    assert 1 in vcfkg.load().classify(CANONICAL[1])
    assert 1 not in vcfkg.load(copy).classify(CANONICAL[1])
    assert main(["--graph", str(copy), "classify", str(patient), "--format", "json"]) == 0
    assert 1 not in {v["variant"] for v in json.loads(capsys.readouterr().out)["matched"]}
    assert main(["classify", str(patient), "--format", "json"]) == 0
    assert 1 in {v["variant"] for v in json.loads(capsys.readouterr().out)["matched"]}
