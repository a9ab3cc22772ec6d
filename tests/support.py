"""The tests' one support module: an independent reading of the criteria (the oracle), the shared test patients,
and the hand-typed tables of tests/data.

The oracle is written from the issue text, not from the graph: if the graph's criteria drift, the tests comparing
against it fail. The patients are each variant's canonical patient (tests/data/patients), every single-fact change
of them, and seeded random consistent patients.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def read_tsv(name: str) -> list[dict[str, str]]:
    """A tab-separated table of tests/data, as rows of column -> text."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


# -- the oracle: the criteria read from the issue text ---------------------------------------------------------
BOOLEAN_FACTS = (
    "symptomatic",
    "new_fracture",
    "seen_on_radiographs",
    "malignancy_history",
    "new_back_pain",
    "previously_treated_vcf",
    "multiple_vcfs",
    "prior_vertebral_augmentation",
    "prior_spine_surgery",
    "bone_marrow_edema",
    "intravertebral_cleft",
    "worsening_pain",
    "deformity",
    "pulmonary_dysfunction",
    "mechanical_pain",
)
QUESTIONS = ("imaging", "treatment")
ETIOLOGIES = ("osteoporotic", "benign", "pathologic")

Truth = bool | None


def derive(patient: Mapping[str, object]) -> dict[str, object]:
    facts = {k: v for k, v in patient.items() if k != "red_flags"}
    if facts.get("prior_vertebral_augmentation") is True:
        facts["previously_treated_vcf"] = True
    if facts.get("worsening_pain") is True or facts.get("mechanical_pain") is True:
        facts["symptomatic"] = True
    if "history_of_cancer" in patient.get("red_flags", ()):  # type: ignore[operator]
        facts["malignancy_history"] = True
    return facts


def _is(facts: Mapping[str, object], key: str, value: bool) -> Truth:
    return None if facts.get(key) is None else facts[key] is value


def _question(facts: Mapping[str, object], wanted: str) -> Truth:
    return None if "question" not in facts else facts["question"] == wanted


def _etiology(facts: Mapping[str, object], wanted: str) -> Truth:
    given = facts.get("etiology")
    if given is None:
        return None
    if wanted == "benign":
        return given in ("benign", "osteoporotic")
    if wanted == "osteoporotic":
        return True if given == "osteoporotic" else (False if given == "pathologic" else None)
    return given == "pathologic"


def _any(*truths: Truth) -> Truth:
    if any(t is True for t in truths):
        return True
    return False if all(t is False for t in truths) else None


def clauses(n: int, f: Mapping[str, object]) -> list[Truth]:
    t = lambda key: _is(f, key, True)  # noqa: E731
    no = lambda key: _is(f, key, False)  # noqa: E731
    table: dict[int, Callable[[], list[Truth]]] = {
        1: lambda: [
            _question(f, "imaging"),
            t("new_fracture"),
            t("symptomatic"),
            t("seen_on_radiographs"),
            no("malignancy_history"),
        ],
        2: lambda: [
            _question(f, "imaging"),
            t("new_fracture"),
            t("symptomatic"),
            t("seen_on_radiographs"),
            t("malignancy_history"),
        ],
        3: lambda: [_question(f, "imaging"), t("new_back_pain"), _any(t("previously_treated_vcf"), t("multiple_vcfs"))],
        4: lambda: [_question(f, "imaging"), no("symptomatic"), t("seen_on_radiographs"), t("malignancy_history")],
        5: lambda: [_question(f, "treatment"), no("symptomatic"), _etiology(f, "osteoporotic")],
        6: lambda: [
            _question(f, "treatment"),
            t("symptomatic"),
            _etiology(f, "osteoporotic"),
            _any(t("bone_marrow_edema"), t("intravertebral_cleft")),
        ],
        7: lambda: [
            _question(f, "treatment"),
            t("new_fracture"),
            t("symptomatic"),
            _any(t("prior_vertebral_augmentation"), t("prior_spine_surgery")),
            # The discussion of variant 7 assumes a non-pathologic fracture (issue 10): benign, osteoporotic counts.
            _etiology(f, "benign"),
        ],
        8: lambda: [
            _question(f, "treatment"),
            _etiology(f, "benign"),
            _any(t("worsening_pain"), t("deformity"), t("pulmonary_dysfunction")),
        ],
        9: lambda: [_question(f, "treatment"), _etiology(f, "pathologic"), t("mechanical_pain")],
    }
    return table[n]()


def status(n: int, patient: Mapping[str, object]) -> str:
    truths = clauses(n, derive(patient))
    if any(t is False for t in truths):
        return "excluded"
    return "matched" if all(t is True for t in truths) else "possible"


def matched(patient: Mapping[str, object]) -> frozenset[int]:
    return frozenset(n for n in range(1, 10) if status(n, patient) == "matched")


# -- shared patients -------------------------------------------------------------------------------------------
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
            choices = QUESTIONS if key == "question" else ETIOLOGIES
            out.extend((f"{key}-{other}", {**patient, key: other}) for other in choices if other != value)
    for key in BOOLEAN_FACTS:
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
        if (q := rng.choice((None, *QUESTIONS, *QUESTIONS))) is not None:
            patient["question"] = q
        if (e := rng.choice((None, *ETIOLOGIES))) is not None:
            patient["etiology"] = e
        for key in BOOLEAN_FACTS:
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
