"""Measured input decides deformity by the source's thresholds (Variants 5 and 8: kyphosis >= 15%, scoliosis >= 10%,
dorsal wall height reduction >= 10%, vertebral body height loss >= 20%), typed here by hand from the source."""

from __future__ import annotations

import pytest

from vcfkg.errors import InvalidPatientError

SOURCE_THRESHOLDS = {
    "kyphosis_percent": 15,
    "scoliosis_percent": 10,
    "dorsal_wall_height_loss_percent": 10,
    "vertebral_height_loss_percent": 20,
}
CASES = [
    pytest.param(field, value, expected, id=f"{field}-{name}")
    for field, threshold in SOURCE_THRESHOLDS.items()
    for name, value, expected in (
        ("at", threshold, True),
        ("just-under", threshold - 0.1, None),
        ("just-over", threshold + 0.1, True),
    )
]


def test_graph_thresholds_are_the_sources(kg) -> None:
    assert {t.field: t.threshold for t in kg.compiled.deformity_thresholds} == SOURCE_THRESHOLDS
    assert {t.fact for t in kg.compiled.deformity_thresholds} == {"deformity"}


@pytest.mark.parametrize(("field", "value", "expected"), CASES)
def test_one_measurement_at_or_above_its_threshold_means_deformity(kg, field: str, value: float, expected) -> None:
    patient = kg.parse_patient({"measurements": {field: value}})
    assert patient.facts.get("deformity") is expected  # one measurement under its threshold decides nothing
    if expected:
        assert patient.derived_from["deformity"] == f"measurements.{field}"


@pytest.mark.parametrize(("field", "value", "expected"), CASES)
def test_all_measured_decides_either_way(kg, field: str, value: float, expected) -> None:
    below = {f: t - 0.1 for f, t in SOURCE_THRESHOLDS.items()}
    patient = kg.parse_patient({"measurements": {**below, field: value}})
    assert patient.facts["deformity"] is (expected is True)


def test_measured_deformity_reaches_variant_8_on_both_paths(kg) -> None:
    patient = {"question": "treatment", "etiology": "benign", "measurements": {"vertebral_height_loss_percent": 25}}
    for engine in ("compiled", "sparql"):
        assert [m.variant for m in kg.recommend(patient, method=engine).matched] == [8]


@pytest.mark.parametrize(
    ("patient", "field", "message"),
    [
        ({"deformity": False, "measurements": {"kyphosis_percent": 20}}, "deformity", "measurements.kyphosis_percent"),
        ({"deformity": True, "measurements": {f: 0 for f in SOURCE_THRESHOLDS}}, "deformity", "below its threshold"),
        ({"measurements": {"kyphosis_percent": "20"}}, "measurements.kyphosis_percent", "got string"),
        ({"measurements": {"scoliosis_percent": True}}, "measurements.scoliosis_percent", "got value"),
        ({"measurements": {"kyphosis_percent": 100.5}}, "measurements.kyphosis_percent", "0 to 100"),
        ({"measurements": {"kyphosis_percent": -1}}, "measurements.kyphosis_percent", "0 to 100"),
        ({"measurements": {"kyphosis_percent": float("nan")}}, "measurements.kyphosis_percent", "0 to 100"),
        ({"measurements": {"kyphosis_percent": 10**400}}, "measurements.kyphosis_percent", "0 to 100"),
        ({"measurements": {"lordosis_percent": 5}}, "measurements.lordosis_percent", "unknown measurement"),
        ({"measurements": [15]}, "measurements", "must be an object"),
        ({"measurements": {"kyph\nosis": 5}}, 'measurements."kyph\\nosis"', "unknown measurement"),
        ({"measurements": {5: 5}}, "measurements", "keys must be strings"),
    ],
    ids=[
        "true-vs-false",
        "false-vs-true",
        "string",
        "boolean",
        "over-100",
        "negative",
        "nan",
        "huge-int",
        "unknown",
        "list",
        "key-with-newline",
        "key-not-a-string",
    ],
)
def test_bad_or_contradicting_measurements_are_errors(kg, patient: dict, field: str, message: str) -> None:
    with pytest.raises(InvalidPatientError) as error:
        kg.parse_patient(patient)
    assert error.value.field == field and message in str(error.value)


def test_null_is_not_measured(kg) -> None:
    """null means unknown, as for every patient key (and as JSON-LD, which drops nulls, reads it)."""
    below = {"kyphosis_percent": 1, "scoliosis_percent": 1, "dorsal_wall_height_loss_percent": 1}
    patient = kg.parse_patient({"measurements": {**below, "vertebral_height_loss_percent": None}})
    assert "deformity" not in patient.facts  # three of four below decide nothing
    assert kg.parse_patient({"measurements": {**below, "vertebral_height_loss_percent": 1}}).facts["deformity"] is False


def test_any_mapping_is_read(kg) -> None:
    from types import MappingProxyType

    patient = kg.parse_patient(MappingProxyType({"measurements": MappingProxyType({"kyphosis_percent": 15})}))
    assert patient.facts["deformity"] is True


def test_a_given_deformity_that_agrees_is_kept(kg) -> None:
    patient = kg.parse_patient({"deformity": True, "measurements": {"kyphosis_percent": 30}})
    assert patient.facts["deformity"] is True and "deformity" not in patient.derived_from


def test_cli_names_the_measurement_and_exits_2(tmp_path, capsys) -> None:
    from vcfkg.cli import main

    path = tmp_path / "p.json"
    path.write_text('{"measurements": {"kyphosis_percent": 120}}')
    assert main(["recommend", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "measurements.kyphosis_percent" in err


def test_deformity_definition_states_the_graph_thresholds(kg) -> None:
    """The definition a user reads and the thresholds the code applies are held equal."""
    [row] = kg.engine.select(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX vcf: <https://w3id.org/vcfkg/> "
        "SELECT ?d WHERE { vcf:deformity skos:definition ?d }"
    )
    for word, field in [
        ("kyphosis", "kyphosis_percent"),
        ("scoliosis", "scoliosis_percent"),
        ("dorsal wall height reduction", "dorsal_wall_height_loss_percent"),
        ("vertebral body height loss", "vertebral_height_loss_percent"),
    ]:
        value = {t.field: t.threshold for t in kg.compiled.deformity_thresholds}[field]
        assert f"{word} of {value:g}% or more" in row["d"]


@pytest.mark.parametrize("value", [-0.1, 0, 15, 100, 100.1, 1e300], ids=str)
def test_shapes_and_reader_agree_on_the_range(kg, tmp_path, value: float) -> None:
    """The SHACL shape's 0-100 (shapes/) and the patient reader's are held equal: each value is refused by both or
    by neither."""
    from vcfkg.validate import validate

    try:
        kg.parse_patient({"measurements": {"kyphosis_percent": value}})
        accepted = True
    except InvalidPatientError:
        accepted = False
    path = tmp_path / "patient.ttl"
    path.write_text(
        "@prefix vcf: <https://w3id.org/vcfkg/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f'<urn:p> a vcf:PatientDescription ; vcf:kyphosisPercent "{value!r}"^^xsd:double .'
    )
    report = validate([path])
    by_shapes = [v for v in report.violations if v.source_shape == "vcfsh:Patient-kyphosisPercent"]
    assert (not by_shapes) == accepted == report.conforms


def test_measurement_names_follow_an_edited_graph(tmp_path) -> None:
    """The measurement keys are the identifiers of the graph's measurement properties: rename one in a copy of
    the graph and the JSON patient, the RDF reader and the JSON-LD context all follow."""
    import vcfkg
    from vcfkg import jsonld
    from vcfkg.patient_rdf import read_patient_rdf
    from vcfkg.resources import ontology_path

    text = ontology_path().read_text(encoding="utf-8")
    assert text.count('dcterms:identifier "kyphosis_percent"') == 1
    edited = tmp_path / "vcf.ttl"
    edited.write_text(text.replace('dcterms:identifier "kyphosis_percent"', 'dcterms:identifier "kyphosis_pct"'))
    other = vcfkg.load(edited)
    assert other.parse_patient({"measurements": {"kyphosis_pct": 15}}).facts["deformity"] is True
    with pytest.raises(InvalidPatientError, match="unknown measurement"):
        other.parse_patient({"measurements": {"kyphosis_percent": 15}})
    patient = tmp_path / "patient.ttl"
    patient.write_text(
        "<urn:p> a <https://w3id.org/vcfkg/PatientDescription> ; <https://w3id.org/vcfkg/kyphosisPercent> 15 ."
    )
    assert read_patient_rdf(patient, other) == {"measurements": {"kyphosis_pct": 15}}
    assert jsonld.generate(other)["@context"]["kyphosis_pct"] == {"@id": "vcf:kyphosisPercent"}
