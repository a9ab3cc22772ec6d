"""Patients shared by the matching and reasoning tests: each variant's canonical patient (tests/data/patients),
every single-fact change of them, and seeded random consistent patients."""

from __future__ import annotations

import json
import random
from pathlib import Path

import criteria_oracle as oracle
import pytest

DATA = Path(__file__).parent / "data"
CANONICAL = {int(n): p for n, p in json.loads((DATA / "patients" / "canonical.json").read_text()).items()}


def flips(patient: dict) -> list[tuple[str, dict]]:
    """Each single-fact change of a patient: a boolean negated or dropped, an enum changed or dropped."""
    out = []
    for key, value in patient.items():
        dropped = {k: v for k, v in patient.items() if k != key}
        out.append((f"drop-{key}", dropped))
        if isinstance(value, bool):
            out.append((f"flip-{key}", {**patient, key: not value}))
        else:
            choices = oracle.QUESTIONS if key == "question" else oracle.ETIOLOGIES
            out.extend((f"{key}-{other}", {**patient, key: other}) for other in choices if other != value)
    for key in oracle.BOOLEAN_FACTS:
        if key not in patient:
            out.extend((f"add-{key}-{v}".lower(), {**patient, key: v}) for v in (True, False))
    return out


def consistent(patient: dict) -> bool:
    facts = dict(patient)
    if facts.get("symptomatic") is False and (facts.get("worsening_pain") or facts.get("mechanical_pain")):
        return False
    if facts.get("previously_treated_vcf") is False and facts.get("prior_vertebral_augmentation"):
        return False
    return not (facts.get("malignancy_history") is False and "history_of_cancer" in facts.get("red_flags", ()))


def random_patients(count: int, seed: int = 2022) -> list[dict]:
    rng = random.Random(seed)
    patients: list[dict] = []
    while len(patients) < count:
        patient: dict = {}
        if (q := rng.choice((None, *oracle.QUESTIONS, *oracle.QUESTIONS))) is not None:
            patient["question"] = q
        if (e := rng.choice((None, *oracle.ETIOLOGIES))) is not None:
            patient["etiology"] = e
        for key in oracle.BOOLEAN_FACTS:
            value = rng.choice((None, True, False))
            if value is not None:
                patient[key] = value
        if rng.random() < 0.15:
            patient["red_flags"] = ["history_of_cancer"]
        if consistent(patient):
            patients.append(patient)
    return patients


CASES = [pytest.param(p, id=f"v{n}-canonical") for n, p in CANONICAL.items()]
CASES += [
    pytest.param(flipped, id=f"v{n}-{name}")
    for n, p in CANONICAL.items()
    for name, flipped in flips(p)
    if consistent(flipped)
]
RANDOM = random_patients(2000)
