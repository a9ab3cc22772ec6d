"""Patient descriptions: JSON in, a validated :class:`Patient` with its derived facts out.

An absent key means unknown, never false. The vocabulary (fact keys, allowed values, red-flag ids, SINS options
and levels) and the derivation rules (README, "Derived facts") come from the graph through the compiled table.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from vcfkg import measurements
from vcfkg.compiled import Compiled
from vcfkg.errors import InvalidPatientError, shown
from vcfkg.jsontext import JsonTextError, loads

FactValue = bool | str
NOTHING_DERIVED: Mapping[str, str] = MappingProxyType({})


class Patient(NamedTuple):
    """Known facts (given and derived; keys are the JSON keys), red flags and SINS options of one patient.

    ``derived_from`` names, for each fact that was derived rather than given, the field it was derived from
    (``{"symptomatic": "worsening_pain"}``); reasons built on such a fact say so.
    """

    facts: Mapping[str, FactValue]
    red_flags: tuple[str, ...] = ()
    sins: Mapping[str, str] | None = None
    sins_level: str | None = None
    derived_from: Mapping[str, str] = NOTHING_DERIVED


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return {
        bool: "boolean",
        int: "number",
        float: "number",
        str: "string",
        list: "array",
        dict: "object",
    }.get(type(value), type(value).__name__)


def _choice(field: str, value: object, allowed: Mapping[str, Any] | list[str]) -> str:
    """``value`` if it is one of ``allowed``, else the error naming ``field``."""
    if not isinstance(value, str):
        raise InvalidPatientError(field, f"must be a string, got {_json_type(value)}")
    if value not in allowed:
        raise InvalidPatientError(field, f"unknown value {shown(value)}; allowed: {', '.join(allowed)}")
    return value


def _key(field: str, key: object) -> str:
    """An object's key, which must be a string (JSON's always are; a Python mapping's may not be)."""
    if not isinstance(key, str):
        raise InvalidPatientError(field, f"keys must be strings, got the key {shown(key)}")
    return key


def _name(key: str) -> str:
    """A key as a field name: as is when it is an identifier, else quoted and escaped."""
    return key if key.isidentifier() else json.dumps(key)


def parse_sins(data: object, compiled: Compiled, field: str = "sins") -> tuple[dict[str, str], str | None]:
    """Validate SINS options ({component: option, or level}); a level gives the location. null means unknown."""
    if not isinstance(data, Mapping):
        raise InvalidPatientError(field, f"must be an object, got {_json_type(data)}")
    options: dict[str, str] = {}
    level: str | None = None
    for component, value in data.items():
        _key(field, component)
        if value is None and (component == "level" or component in compiled.sins_options):
            continue
        if component == "level":
            level = (
                value
                if type(value) is str and value in compiled.sins_levels
                else _choice(f"{field}.level", value, compiled.sins_levels)
            )
        elif component in compiled.sins_options:
            allowed = compiled.sins_options[component]
            options[component] = (
                value if type(value) is str and value in allowed else _choice(f"{field}.{component}", value, allowed)
            )
        else:
            known = ", ".join([*compiled.sins_options, "level"])
            raise InvalidPatientError(f"{field}.{_name(component)}", f"unknown SINS component; known: {known}")
    if level is not None:
        location = compiled.sins_levels[level]
        if "location" in options and options["location"] != location:
            raise InvalidPatientError(
                f"{field}.location",
                f"{options['location']!r} disagrees with {field}.level {level!r}, which is {location}",
            )
        options["location"] = location
    return options, level


def parse_patient(data: object, compiled: Compiled) -> Patient:
    """Validate a decoded JSON patient description and apply the derived facts.

    >>> from vcfkg import load
    >>> patient = load().parse_patient({"worsening_pain": True})
    >>> patient.facts["symptomatic"]
    True
    """
    if type(data) is not dict and not isinstance(data, Mapping):  # the type test first: faster for JSON
        raise InvalidPatientError("patient", f"must be a JSON object, got {_json_type(data)}")
    facts: dict[str, FactValue] = {}
    red_flags: tuple[str, ...] = ()
    sins: dict[str, str] | None = None
    level: str | None = None
    measured: object = None
    booleans, objects = compiled.boolean_facts, compiled.object_facts
    for key, value in data.items():
        if key in booleans:  # a fact key is a string
            if value is True or value is False:
                facts[key] = value
            elif value is not None:  # null means unknown
                raise InvalidPatientError(key, f"must be true or false, got {_json_type(value)}")
        elif key in objects:
            if value is not None:
                allowed = objects[key]
                facts[key] = value if type(value) is str and value in allowed else _choice(key, value, allowed)
        elif value is None and key in ("red_flags", "sins", "codes"):
            continue
        elif key == "red_flags":
            if not isinstance(value, list | tuple):
                raise InvalidPatientError(key, f"must be an array of red-flag ids, got {_json_type(value)}")
            flags: list[str] = []
            for index, flag in enumerate(value):
                if type(flag) is not str or flag not in compiled.red_flags:
                    _choice(f"red_flags[{index}]", flag, compiled.red_flags)
                if flag not in flags:
                    flags.append(flag)
            red_flags = tuple(flags)
        elif key == "sins":
            sins, level = parse_sins(value, compiled)
        elif key == measurements.FIELD:
            measured = value
        else:
            known = ", ".join([*sorted(compiled.fact_properties), "red_flags", "sins", measurements.FIELD, "codes"])
            raise InvalidPatientError(_name(_key("patient", key)), f"unknown key; known keys: {known}")
    measured_from = measurements.derive(measured, compiled.deformity_thresholds, facts) if measured is not None else {}
    derived = compiled.derivations.apply(facts, red_flags, sins)
    sources = {**measured_from, **derived.sources}
    return Patient(
        MappingProxyType(facts),
        derived.red_flags,
        MappingProxyType(sins) if sins is not None else None,
        level,
        MappingProxyType(sources) if sources else NOTHING_DERIVED,
    )


def load_patient_text(text: str, source: str = "patient") -> object:
    """Decode a JSON patient description; empty or malformed text is an error naming ``source``."""
    if not text.strip():
        raise InvalidPatientError(source, "is empty; expected a JSON object")
    try:
        return loads(text)
    except JsonTextError as error:
        raise InvalidPatientError(source, str(error)) from None
