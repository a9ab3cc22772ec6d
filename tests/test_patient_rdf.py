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


# -- measurements: the same patient as JSON, Turtle and JSON-LD ---------------------------------------------------
BENIGN_TREATMENT = "<urn:p> a vcf:PatientDescription ; vcf:hasQuestion vcf:treatment-question ;\n"
BENIGN_TREATMENT += "    vcf:hasEtiology vcf:benign-etiology"
MEASURED = [
    pytest.param(
        {"kyphosis_percent": 15},
        "vcf:kyphosisPercent 15",
        None,
        id="kyphosis-at-threshold",
    ),
    pytest.param(
        {"scoliosis_percent": 9.9},
        'vcf:scoliosisPercent "9.9"^^xsd:decimal',
        None,
        id="scoliosis-just-under-alone",
    ),
    pytest.param(
        {
            "kyphosis_percent": 14.9,
            "scoliosis_percent": 9.9,
            "dorsal_wall_height_loss_percent": 9.9,
            "vertebral_height_loss_percent": 19.9,
        },
        "vcf:kyphosisPercent 14.9 ; vcf:scoliosisPercent 9.9 ; vcf:dorsalWallHeightLossPercent 9.9e0 ;"
        " vcf:vertebralHeightLossPercent 19.9",
        None,
        id="all-just-under",
    ),
    pytest.param(
        {"dorsal_wall_height_loss_percent": 10.1, "vertebral_height_loss_percent": 3},
        "vcf:dorsalWallHeightLossPercent 10.1 ; vcf:vertebralHeightLossPercent 3",
        None,
        id="dorsal-wall-just-over",
    ),
    pytest.param(
        {"kyphosis_percent": None, "scoliosis_percent": 5},
        "vcf:scoliosisPercent 5",
        None,
        id="null-is-not-measured",
    ),
    pytest.param(
        {"deformity": False, "vertebral_height_loss_percent": 20},
        "vcf:deformity false ; vcf:vertebralHeightLossPercent 20",
        "deformity",
        id="contradicts-deformity",
    ),
    pytest.param(
        {"kyphosis_percent": 120},
        "vcf:kyphosisPercent 120",
        "measurements.kyphosis_percent",
        id="over-100",
    ),
    pytest.param(
        {"scoliosis_percent": "12"},
        'vcf:scoliosisPercent "12"',
        "measurements.scoliosis_percent",
        id="not-a-number",
    ),
]


def _measured_json(measured: dict[str, object]) -> dict[str, object]:
    """The JSON patient: a benign fracture asking for treatment, with ``measured`` (and ``deformity`` if given)."""
    given = {k: v for k, v in measured.items() if k == "deformity"}
    return {
        "question": "treatment",
        "etiology": "benign",
        **given,
        "measurements": {k: v for k, v in measured.items() if k != "deformity"},
    }


def _three_forms(tmp_path: Path, measured: dict[str, object], turtle: str) -> list[Path]:
    from vcfkg.jsonld import CONTEXT_IRI

    patient = _measured_json(measured)
    (tmp_path / "p.json").write_text(json.dumps(patient))
    (tmp_path / "p.jsonld").write_text(json.dumps({"@context": CONTEXT_IRI, **patient}))
    (tmp_path / "p.ttl").write_text(
        PREFIX + "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + BENIGN_TREATMENT + " ;\n    " + turtle + " ."
    )
    return [tmp_path / name for name in ("p.json", "p.jsonld", "p.ttl")]


@pytest.mark.parametrize(("measured", "turtle", "error"), MEASURED)
def test_measurements_give_the_same_answer_in_json_turtle_and_jsonld(
    capsys, tmp_path: Path, measured: dict[str, object], turtle: str, error: str | None
) -> None:
    answers = []
    for path in _three_forms(tmp_path, measured, turtle):
        code = main(["recommend", str(path), "--format", "json"])
        out, err = capsys.readouterr()
        if error is None:
            assert (code, err) == (0, ""), path.name
            answers.append(json.loads(out))
        else:
            assert code == 2 and err.count("\n") == 1 and f"error: {error}: " in err, (path.name, err)
    if error is None:
        assert answers[0] == answers[1] == answers[2]


@pytest.mark.parametrize(("measured", "turtle", "error"), MEASURED)
def test_measurements_in_rdf_raise_the_typed_error_of_json(
    kg, tmp_path: Path, measured: dict[str, object], turtle: str, error: str | None
) -> None:
    json_path, *rdf_paths = _three_forms(tmp_path, measured, turtle)
    expected = kg.parse_patient(json.loads(json_path.read_text())) if error is None else None
    for path in rdf_paths:
        if error is None:
            assert kg.parse_patient(read_patient_rdf(path, kg)) == expected, path.name
        else:
            with pytest.raises(InvalidPatientError) as caught:
                kg.parse_patient(read_patient_rdf(path, kg))
            assert caught.value.field == error, path.name


def test_measured_deformity_is_read_from_rdf(kg, tmp_path: Path) -> None:
    _, _, turtle = _three_forms(tmp_path, {"kyphosis_percent": 15}, "vcf:kyphosisPercent 15")
    patient = kg.parse_patient(read_patient_rdf(turtle, kg))
    assert patient.facts["deformity"] is True
    assert patient.derived_from["deformity"] == "measurements.kyphosis_percent"


@pytest.mark.parametrize(
    ("turtle", "field", "message"),
    [
        ("vcf:kyphosisPercent 20, 30", "measurements.kyphosis_percent", "given twice"),
        ('vcf:kyphosisPercent "20"^^xsd:boolean', "measurements.kyphosis_percent", "must be a number"),
        ("vcf:kyphosisPercent vcf:deformity", "measurements.kyphosis_percent", "got the node"),
        ('vcf:kyphosisPercent "1.5.0"^^xsd:decimal', "measurements.kyphosis_percent", "not a valid xsd:decimal"),
        ('vcf:kyphosisPercent "NaN"^^xsd:double', "measurements.kyphosis_percent", "0 to 100"),
    ],
    ids=["twice", "boolean", "node", "malformed", "nan"],
)
def test_bad_rdf_measurement_names_the_field(kg, tmp_path: Path, turtle: str, field: str, message: str) -> None:
    path = tmp_path / "p.ttl"
    path.write_text(
        PREFIX
        + "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n<urn:p> a vcf:PatientDescription ; "
        + turtle
        + " ."
    )
    with pytest.raises(InvalidPatientError) as caught:
        kg.parse_patient(read_patient_rdf(path, kg))
    assert caught.value.field == field and message in str(caught.value)


def test_classify_reads_measurements_from_rdf(capsys, tmp_path: Path) -> None:
    """HermiT classifies the measured deformity alike from JSON and Turtle (variant 8 needs it)."""
    outputs = []
    for path in _three_forms(tmp_path, {"kyphosis_percent": 15}, "vcf:kyphosisPercent 15")[::2]:
        assert main(["classify", str(path)]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and outputs[0].startswith("Variant 8:")
