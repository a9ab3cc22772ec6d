"""Measured input: spinal measurements in percent that decide ``deformity`` by the source's thresholds.

The thresholds are data in the graph (``vcf:DeformityThreshold``, read by ``queries/vocabulary/
deformity_thresholds.rq``), and so are the measurements' names: each threshold names the patient property it
compares (``vcf:hasMeasurement``, e.g. ``vcf:kyphosisPercent``), whose identifier is the key under
``measurements`` (and which RDF patients use directly). One measurement at or above its threshold means deformity;
all of them measured and none at its threshold means no deformity; otherwise the measurements decide nothing (a
measurement given as null is not measured). A given fact that disagrees is a contradiction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import NamedTuple

from vcfkg.errors import InvalidPatientError, shown

FIELD = "measurements"


class Threshold(NamedTuple):
    """A measurement (its key under ``measurements``), the percent at or above which it counts, the fact it decides."""

    field: str
    threshold: float
    fact: str


def _number(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        kinds: dict[type, str] = {str: "string", list: "array", dict: "object"}
        kind = kinds.get(type(value), "value")
        raise InvalidPatientError(field, f"must be a number from 0 to 100 (percent), got {kind}")
    if not 0 <= value <= 100:  # false for NaN too; an int of any size compares without becoming a float
        raise InvalidPatientError(field, f"must be a number from 0 to 100 (percent), got {shown(value)}")
    return float(value)


def derive(data: object, thresholds: tuple[Threshold, ...], facts: dict[str, bool | str]) -> dict[str, str]:
    """Check the ``measurements`` object and add the facts it decides to ``facts``.

    Returns, for each fact it set, the field it came from (e.g. ``{"deformity": "measurements.kyphosis_percent"}``).

    >>> t = (Threshold("kyphosis_percent", 15, "deformity"),)
    >>> facts = {}
    >>> derive({"kyphosis_percent": 15}, t, facts), facts
    ({'deformity': 'measurements.kyphosis_percent'}, {'deformity': True})
    """
    if not isinstance(data, Mapping):
        raise InvalidPatientError(FIELD, "must be an object of measurements in percent")
    known = {t.field: t for t in thresholds}
    values: dict[str, float] = {}
    for key, value in data.items():
        if not isinstance(key, str):  # JSON's keys are strings; a Python mapping's may not be
            raise InvalidPatientError(FIELD, f"keys must be strings, got the key {shown(key)}")
        if key not in known:
            name = key if key.isidentifier() else json.dumps(key)  # one line, whatever the key holds
            raise InvalidPatientError(f"{FIELD}.{name}", f"unknown measurement; known: {', '.join(known)}")
        if value is not None:  # null means not measured, as JSON-LD reads it
            values[key] = _number(f"{FIELD}.{key}", value)
    sources: dict[str, str] = {}
    for fact in dict.fromkeys(t.fact for t in thresholds):
        mine = [t for t in thresholds if t.fact == fact]
        met = [t for t in mine if t.field in values and values[t.field] >= t.threshold]
        if met:
            decided, source = True, f"{FIELD}.{met[0].field}"
            why = f"{source} is {_text(values[met[0].field])}, at or above {_text(met[0].threshold)}"
        elif all(t.field in values for t in mine):
            decided, source = False, FIELD
            why = "every measurement is below its threshold"
        else:
            continue
        given = facts.get(fact)
        if given is not None and given != decided:
            raise InvalidPatientError(fact, f"is {str(given).lower()}, but {why}")
        if given is None:
            facts[fact] = decided
            sources[fact] = source
    return sources


def _text(value: float) -> str:
    return f"{value:g}"
