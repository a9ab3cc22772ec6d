"""Patient descriptions written in RDF (Turtle, N-Triples, JSON-LD, RDF/XML) with the ontology's patient
vocabulary, read into the JSON form through ``queries/patient_from_rdf.rq`` run over the file and the graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vcfkg import queries
from vcfkg.engines import IRI, OxigraphEngine
from vcfkg.errors import InvalidPatientError
from vcfkg.resources import ontology_path


def read_patient_rdf(path: Path) -> dict[str, Any]:
    """The one ``vcf:PatientDescription`` in an RDF file, as a JSON patient description (not yet validated)."""
    engine = OxigraphEngine.from_files([ontology_path(), path])
    rows = queries.select(engine, "patient_from_rdf")
    patients = sorted({str(row["patient"]) for row in rows})
    if len(patients) != 1:
        found = f"{len(patients)}: {', '.join(patients)}" if patients else "none"
        raise InvalidPatientError("patient", f"{path} must describe one vcf:PatientDescription, found {found}")
    patient: dict[str, Any] = {}
    for row in rows:
        if row["property"] is None:
            continue
        key, value = row["key"], row["value"]
        if key is None:
            raise InvalidPatientError(str(row["property"]), "is not a property of the patient vocabulary")
        if isinstance(value, IRI):
            raise InvalidPatientError(key, f"<{value}> is not an individual of the vcfkg graph")
        if key == "red_flags":
            patient.setdefault(key, []).append(value)
        elif key == "sins":
            component = row["component"] or "sins"
            if component in patient.setdefault("sins", {}):
                raise InvalidPatientError(f"sins.{component}", "is given twice")
            patient["sins"][component] = value
        elif key == "level":
            patient.setdefault("sins", {})["level"] = value
        elif key in patient:
            raise InvalidPatientError(key, "is given twice")
        else:
            patient[key] = value
    return patient
