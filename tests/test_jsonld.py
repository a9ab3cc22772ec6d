"""Patient JSON is JSON-LD: the shipped context is what the graph gives, and a patient JSON with
``"@context": "https://w3id.org/vcfkg/patient.context.jsonld"`` saved as .jsonld gets the same answer as the plain
JSON, read without any network, for every example, test and scenario patient."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

import vcfkg
from vcfkg import jsonld
from vcfkg.cli import main
from vcfkg.resources import ontology_path, scenarios_path

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"


def _patients() -> list[Any]:
    found: list[Any] = [pytest.param(json.loads((ROOT / "examples" / "patient.json").read_text()), id="example")]
    for number, line in enumerate((ROOT / "examples" / "patients.jsonl").read_text().splitlines(), 1):
        data = json.loads(line)
        if isinstance(data, dict) and "codes" not in data:
            found.append(pytest.param(data, id=f"examples-patients-{number}"))
    canonical = json.loads((DATA / "patients" / "canonical.json").read_text())
    found += [pytest.param(patient, id=f"canonical-{n}") for n, patient in canonical.items()]
    for line in scenarios_path().read_text().splitlines():
        case = json.loads(line)
        if "error" not in case["expected"] and "codes" not in case["patient"]:
            found.append(pytest.param(case["patient"], id=f"scenario-{case['id']}"))
    return found


def _answer(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str, str]:
    code = main(["recommend", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    return code, out, err


def _same_order_of_red_flags(out: str) -> object:
    """The answer, with its red flags sorted: in RDF they are a set, so their order cannot follow the JSON list."""
    answer = json.loads(out)
    answer["red_flags"] = sorted(answer["red_flags"], key=lambda flag: flag["flag"])
    return answer


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """The context IRI is never fetched: opening a socket fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("vcfkg tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_shipped_context_is_the_one_the_graph_gives(kg: vcfkg.KnowledgeGraph) -> None:
    """The graph is the source: `python -m vcfkg.jsonld` rewrites the file when the vocabulary changes."""
    assert jsonld.context_path().read_text(encoding="utf-8") == jsonld.dumps(jsonld.generate(kg))


def test_context_follows_an_edited_graph(tmp_path: Path) -> None:
    edited = tmp_path / "vcf.ttl"
    edited.write_text(ontology_path().read_text(encoding="utf-8").replace("vcf:symptomatic", "vcf:isSymptomatic"))
    context = jsonld.generate(vcfkg.load(edited))["@context"]
    assert context["symptomatic"] == {"@id": "vcf:isSymptomatic"}
    assert context["red_flags"]["@context"]["fever"] == "vcf:red-flag-fever"
    assert context["pain"]["@context"]["mechanical"] == "vcf:sins-pain-mechanical"


@pytest.mark.parametrize("patient", _patients())
def test_jsonld_patient_gets_the_same_answer(capsys, tmp_path: Path, patient: dict[str, Any]) -> None:
    plain = tmp_path / "patient.json"
    plain.write_text(json.dumps(patient), encoding="utf-8")
    linked = tmp_path / "patient.jsonld"
    linked.write_text(json.dumps({"@context": jsonld.CONTEXT_IRI, **patient}), encoding="utf-8")
    code, out, err = _answer(capsys, plain)
    assert code == 0, err
    linked_code, linked_out, linked_err = _answer(capsys, linked)
    assert (linked_code, linked_err) == (0, "")
    assert _same_order_of_red_flags(linked_out) == _same_order_of_red_flags(out)


def test_validate_checks_a_jsonld_patient(capsys, tmp_path: Path) -> None:
    patient = json.loads((ROOT / "examples" / "patient.json").read_text())
    path = tmp_path / "patient.jsonld"
    path.write_text(json.dumps({"@context": jsonld.CONTEXT_IRI, **patient}), encoding="utf-8")
    assert main(["validate", str(path), "--with-graph"]) == 0, capsys.readouterr().out
    capsys.readouterr()
    path.write_text(json.dumps({"@context": jsonld.CONTEXT_IRI, **patient, "etiology": "traumatic"}), encoding="utf-8")
    assert main(["validate", str(path), "--with-graph"]) == 1
    assert "traumatic" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"fractured": True}, "fractured"), ({"question": "surgery"}, "surgery"), ({"symptomatic": "yes"}, "symptomatic")],
)
def test_a_jsonld_patient_outside_the_vocabulary_is_an_error(capsys, tmp_path: Path, extra: dict, field: str) -> None:
    """JSON-LD drops undefined terms; the context's @vocab keeps them so the reader can refuse them by name."""
    path = tmp_path / "patient.jsonld"
    path.write_text(json.dumps({"@context": jsonld.CONTEXT_IRI, "question": "imaging", **extra}), encoding="utf-8")
    code, _, err = _answer(capsys, path)
    assert code == 2 and field in err and err.count("\n") == 1


def test_a_document_without_the_context_is_left_alone() -> None:
    document = json.dumps({"@context": {"ex": "https://example.org/"}, "@id": "ex:a"}).encode()
    assert jsonld.resolve(document) == document
