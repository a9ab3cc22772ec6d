"""The Python API: typed results, typed errors, SINS against sins_score.rq, loading."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

import vcfkg
from vcfkg.errors import GraphLoadError, InvalidArgumentError, InvalidPatientError
from vcfkg.resources import ontology_path


@pytest.mark.parametrize("bad", [0, 10, -1, True, "2", 2.0])
def test_variant_rejects_bad_numbers(kg, bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match="variant"):
        kg.variant(bad)  # type: ignore[arg-type]


def test_results_are_immutable(kg) -> None:
    variant = kg.variant(1)
    with pytest.raises(AttributeError):
        variant.title = "x"  # type: ignore[misc]
    assert isinstance(variant.ratings, tuple)


def test_method_and_store_are_checked(kg) -> None:
    with pytest.raises(InvalidArgumentError, match=r"^method: must be 'compiled' or 'sparql', got 'fast'$"):
        kg.recommend({}, method="fast")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match=r"^store: must be 'oxigraph' or 'rdflib', got 'sqlite'$"):
        vcfkg.load(store="sqlite")  # type: ignore[arg-type]


def test_old_engine_spelling_still_works_with_a_deprecation_warning(kg) -> None:
    patient = {"question": "treatment", "symptomatic": False, "etiology": "osteoporotic"}
    with pytest.warns(DeprecationWarning, match=r"recommend\(method=\.\.\.\)"):
        old = kg.recommend(patient, engine="sparql")
    assert old == kg.recommend(patient, method="sparql")
    with pytest.warns(DeprecationWarning, match=r"load\(store=\.\.\.\)"):
        assert vcfkg.load(engine="rdflib").engine.name == "rdflib"


def test_red_flags_api(kg) -> None:
    hits = kg.red_flags(
        ["prolonged_corticosteroid_use", "prolonged_steroid_use", "urinary_retention_or_overflow_incontinence"]
    )
    assert [h.condition for h in hits] == ["Cancer or infection", "Spinal fracture", "Epidural spinal cord compression"]
    assert hits[2].sign_of == "cauda_equina_syndrome"
    with pytest.raises(InvalidPatientError, match=r"red_flags\[0\]"):
        kg.red_flags(["itch"])


def test_procedures_have_facets(kg) -> None:
    procedures = {p.procedure_id: p for p in kg.procedures()}
    assert len(procedures) == 17
    assert sum(p.kind == "imaging" for p in procedures.values()) == 11
    mri = procedures["mri_spine_without_and_with_iv_contrast"]
    assert (mri.modality, mri.contrast, mri.coverage) == (
        "MRI",
        "without and with IV contrast",
        "spine area of interest",
    )
    assert procedures["fdg_pet_ct_skull_base_to_mid_thigh"].coverage == "skull base to mid-thigh"
    assert procedures["medical_management_only"].modality is None
    assert sum(len(p.ratings) for p in procedures.values()) == 71


def test_load_from_an_rdflib_graph_and_a_file(tmp_path: Path) -> None:
    graph = rdflib.Graph().parse(ontology_path())
    assert vcfkg.load(graph=graph).variant(4).ratings[5].procedure == "Image-guided biopsy spine area of interest"
    copy = tmp_path / "copy.ttl"
    copy.write_bytes(ontology_path().read_bytes())
    assert vcfkg.load(copy, store="rdflib").variant(9).ratings[0].category == "Usually Appropriate"


@pytest.mark.parametrize(
    ("content", "message"), [(None, "no such file"), ("@prefix broken", "cannot load")], ids=["missing", "bad-syntax"]
)
def test_unloadable_graph_is_a_typed_error(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "graph.ttl"
    if content is not None:
        path.write_text(content)
    with pytest.raises(GraphLoadError, match=message):
        vcfkg.load(path).variant(1)


def test_recommend_many_yields_errors_in_place(kg) -> None:
    answers = list(kg.recommend_many([{"question": "imaging"}, {"symptomatic": "no"}, {}]))
    assert isinstance(answers[1], InvalidPatientError) and answers[1].field == "symptomatic"
    assert len(answers) == 3 and not isinstance(answers[2], Exception)
