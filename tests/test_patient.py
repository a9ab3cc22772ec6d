"""Patient descriptions: validation errors name the field, derived facts, contradictions; fuzzing with hypothesis."""

from __future__ import annotations

import json
import re

import pytest
import support as oracle
from hypothesis import given, settings
from hypothesis import strategies as st

from vcfkg.errors import InvalidPatientError
from vcfkg.patient import load_patient_text

BAD_PATIENTS = [
    pytest.param([], "patient", "must be a JSON object", id="not-an-object"),
    pytest.param({"age": 70}, "age", "unknown key", id="unknown-key"),
    pytest.param({"symptomatic": "yes"}, "symptomatic", "must be true or false", id="string-for-bool"),
    pytest.param({"symptomatic": 1}, "symptomatic", "must be true or false", id="number-for-bool"),
    pytest.param({"question": "surgery"}, "question", "unknown value 'surgery'", id="unknown-question"),
    pytest.param({"question": 2}, "question", "must be a string", id="question-not-string"),
    pytest.param({"etiology": "traumatic"}, "etiology", "unknown value", id="unknown-etiology"),
    pytest.param({"red_flags": "fever"}, "red_flags", "must be an array", id="red-flags-not-array"),
    pytest.param({"red_flags": ["fever", "headache"]}, "red_flags[1]", "unknown value 'headache'", id="unknown-flag"),
    pytest.param({"sins": ["T12"]}, "sins", "must be an object", id="sins-not-object"),
    pytest.param({"sins": {"pain": "severe"}}, "sins.pain", "unknown value 'severe'", id="bad-sins-option"),
    pytest.param({"sins": {"level": "T13"}}, "sins.level", "unknown value 'T13'", id="bad-level"),
    pytest.param({"sins": {"size": "big"}}, "sins.size", "unknown SINS component", id="bad-sins-component"),
    pytest.param(
        {"sins": {"level": "T12", "location": "mobile"}}, "sins.location", "disagrees", id="level-location-disagree"
    ),
    pytest.param(
        {"symptomatic": False, "worsening_pain": True}, "symptomatic", "worsening_pain", id="asymptomatic-worsening"
    ),
    pytest.param(
        {"symptomatic": False, "mechanical_pain": True}, "symptomatic", "mechanical_pain", id="asymptomatic-mechanical"
    ),
    pytest.param(
        {"malignancy_history": False, "red_flags": ["history_of_cancer"]},
        "malignancy_history",
        "history_of_cancer",
        id="no-malignancy-but-cancer-flag",
    ),
    pytest.param(
        {"prior_vertebral_augmentation": True, "previously_treated_vcf": False},
        "previously_treated_vcf",
        "prior_vertebral_augmentation",
        id="augmented-but-never-treated",
    ),
]


@pytest.mark.parametrize(("data", "field", "message"), BAD_PATIENTS)
def test_bad_patient_names_field(kg, data: object, field: str, message: str) -> None:
    with pytest.raises(InvalidPatientError) as caught:
        kg.parse_patient(data)
    assert caught.value.field == field
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "is empty"), ("   \n", "is empty"), ("{", "not valid JSON"), ('{"a": tru}', "not valid JSON")],
)
def test_unreadable_json(text: str, message: str) -> None:
    with pytest.raises(InvalidPatientError, match=message):
        load_patient_text(text, source="p.json")


def _given(field: str, value: object) -> dict:
    """A patient stating one fact in JSON words: ``red_flags`` a list, ``sins.<component>`` inside ``sins``."""
    if field == "red_flags":
        return {"red_flags": [value]}
    if field.startswith("sins."):
        return {"sins": {field.removeprefix("sins."): value}}
    return {field: value}


@pytest.mark.parametrize(
    ("if_field", "if_value", "then_field", "then_value"),
    oracle.RULES,
    ids=[f"{a}={b}-{c}={d}".lower() for a, b, c, d in oracle.RULES],
)
def test_derived_facts(kg, if_field: str, if_value: object, then_field: str, then_value: object) -> None:
    """Each derivation of the graph (as tests/support.py reads it, independently of vcfkg) fires on parsing."""
    parsed = kg.parse_patient(_given(if_field, if_value))
    if then_field == "red_flags":
        assert then_value in parsed.red_flags
    else:
        assert parsed.facts[then_field] is then_value


@pytest.mark.parametrize(
    "given_facts",
    [{"prior_vertebral_augmentation": False}, {"worsening_pain": False}, {"red_flags": ["fever"]}, {}],
)
def test_no_derivation_from_false_or_absent(kg, given_facts: dict) -> None:
    facts = kg.parse_patient(given_facts).facts
    assert set(facts) == {k for k in given_facts if k != "red_flags"}


def test_null_means_unknown(kg) -> None:
    assert dict(kg.parse_patient({"symptomatic": None, "etiology": None}).facts) == {}


def test_level_gives_location(kg) -> None:
    patient = kg.parse_patient({"sins": {"level": "T7", "pain": "none"}})
    assert dict(patient.sins) == {"location": "semirigid", "pain": "none"}
    assert patient.sins_level == "T7"


def test_patient_is_immutable(kg) -> None:
    patient = kg.parse_patient({"symptomatic": True})
    with pytest.raises(TypeError):
        patient.facts["symptomatic"] = False  # type: ignore[index]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
KEYS = ["question", "etiology", *oracle.BOOLEAN_FACTS, "red_flags", "sins", "unknown_key"]
plausible = st.dictionaries(
    st.sampled_from(KEYS),
    st.booleans()
    | st.sampled_from(["imaging", "treatment", "benign", "osteoporotic", "pathologic", "x"])
    | st.lists(st.sampled_from(["fever", "history_of_cancer", "saddle_anesthesia", "nope"]), max_size=3)
    | st.fixed_dictionaries(
        {},
        optional={
            "level": st.sampled_from(["T12", "L3", "Z9"]),
            "pain": st.sampled_from(["mechanical", "none", "bad"]),
        },
    )
    | json_values,
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(data=json_values | plausible)
def test_any_json_gives_an_answer_or_a_typed_error(kg, data: object) -> None:
    """Whatever JSON arrives, the API answers or raises InvalidPatientError naming a field; nothing else."""
    try:
        answer = kg.recommend(data)
    except InvalidPatientError as error:
        root = re.split(r"[.\[]", error.field, maxsplit=1)[0]
        named = set(data) if isinstance(data, dict) else set()
        assert root in named | set(kg.compiled.fact_properties) | {"patient"} or root.startswith('"'), error.field
        assert error.problem and "\n" not in str(error)
        return
    assert len(answer.matched) + len(answer.possible) + len(answer.excluded) == 9
    assert json.loads(json.dumps(answer.to_json())) == answer.to_json()
