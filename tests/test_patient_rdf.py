"""Patients written in RDF with the patient vocabulary give the same answers as their JSON form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vcfkg import load
from vcfkg.cli import main
from vcfkg.errors import InvalidPatientError
from vcfkg.patient_rdf import read_patient_rdf

EXAMPLES = Path(__file__).parent.parent / "examples"
PREFIX = "@prefix vcf: <https://w3id.org/vcfkg/> .\n"


def test_example_rdf_patient_reads_as_its_json_twin() -> None:
    assert read_patient_rdf(EXAMPLES / "patient.ttl", load()) == json.loads((EXAMPLES / "patient.json").read_text())


def test_recommend_reads_rdf_patients(capsys) -> None:
    assert main(["recommend", str(EXAMPLES / "patient.ttl"), "--format", "json"]) == 0
    from_rdf = json.loads(capsys.readouterr().out)
    assert main(["recommend", str(EXAMPLES / "patient.json"), "--format", "json"]) == 0
    assert from_rdf == json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("turtle", "field", "message"),
    [
        ("<urn:p> a vcf:PatientDescription ; vcf:colour true .", "https://w3id.org/vcfkg/colour", "not a property"),
        ("<urn:p> a vcf:PatientDescription ; vcf:hasRedFlag <urn:x:itch> .", "red_flags", "not an individual"),
        ("<urn:p> a vcf:PatientDescription .\n<urn:q> a vcf:PatientDescription .", "patient", "found 2"),
        ("<urn:p> vcf:symptomatic true .", "patient", "found none"),
        (
            "<urn:p> a vcf:PatientDescription ; vcf:hasSinsOption vcf:sins-pain-none, vcf:sins-pain-mechanical .",
            "sins.pain",
            "given twice",
        ),
        ("<urn:p> a vcf:PatientDescription ; vcf:symptomatic true, false .", "symptomatic", "given twice"),
    ],
    ids=["unknown-property", "foreign-red-flag", "two-patients", "no-patient", "two-pain-options", "two-values"],
)
def test_bad_rdf_patient_names_the_problem(tmp_path: Path, turtle: str, field: str, message: str) -> None:
    path = tmp_path / "patient.ttl"
    path.write_text(PREFIX + turtle)
    with pytest.raises(InvalidPatientError) as caught:
        read_patient_rdf(path, load())
    assert caught.value.field == field and message in str(caught.value)


def test_rdf_patient_is_validated_like_json(capsys, tmp_path: Path) -> None:
    path = tmp_path / "patient.ttl"
    path.write_text(PREFIX + "<urn:p> a vcf:PatientDescription ; vcf:symptomatic false ; vcf:worseningPain true .")
    assert main(["recommend", str(path)]) == 2
    assert "symptomatic: is false, but worsening_pain is true" in capsys.readouterr().err


def test_unparsable_rdf_patient_exits_2(capsys, tmp_path: Path) -> None:
    path = tmp_path / "patient.ttl"
    path.write_text("this is not turtle")
    assert main(["recommend", str(path)]) == 2
    err = capsys.readouterr().err
    assert "not valid Turtle" in err and err.count("\n") == 1
