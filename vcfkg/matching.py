"""Three-valued matching of a patient's facts against the variants' criteria, on two paths that must agree:

* the compiled path evaluates the decision table read from the graph (microseconds);
* the SPARQL path runs ``queries/match_variants.rq`` with the facts bound as VALUES.

A criterion is true if one of its requirements is known true, false if all are known false, else unknown.
A variant is matched when all criteria are true, excluded when one is false (``reason``: the first false
criterion, in the patient's words), otherwise possible (``missing``: the unknown facts that would decide it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from vcfkg import queries
from vcfkg.compiled import Compiled, Criterion, Requirement, VariantEntry
from vcfkg.engines import IRI, Engine
from vcfkg.models import CriterionTruth, Truth

Status = Literal["matched", "possible", "excluded"]
FactValue = bool | str
TRUTH_TEXT: dict[bool | None, Truth] = {True: "true", False: "false", None: "unknown"}


@dataclass(frozen=True, slots=True)
class VariantMatch:
    number: int
    status: Status
    missing: tuple[str, ...] = ()
    reason: str = ""


def _fact_text(value: FactValue) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else value


def requirement_truth(compiled: Compiled, requirement: Requirement, facts: Mapping[str, FactValue]) -> bool | None:
    given = facts.get(requirement.key)
    if given is None:
        return None
    if requirement.value is not None:
        return given is requirement.value
    return compiled.class_truth.get((requirement.required_class or "", str(given)))


def criterion_truth(compiled: Compiled, criterion: Criterion, facts: Mapping[str, FactValue]) -> bool | None:
    all_false = True
    for requirement in criterion.requirements:
        truth = requirement_truth(compiled, requirement, facts)
        if truth is True:
            return True
        if truth is None:
            all_false = False
    return False if all_false else None


def _match_variant(compiled: Compiled, variant: VariantEntry, facts: Mapping[str, FactValue]) -> VariantMatch:
    missing: list[str] = []
    for criterion in variant.criteria:
        truth = criterion_truth(compiled, criterion, facts)
        if truth is False:
            reason = " and ".join(f"{r.key} is {_fact_text(facts[r.key])}" for r in criterion.requirements)
            return VariantMatch(variant.number, "excluded", (), reason)
        if truth is None:
            for requirement in criterion.requirements:
                if requirement.key not in missing and requirement_truth(compiled, requirement, facts) is None:
                    missing.append(requirement.key)
    if missing:
        return VariantMatch(variant.number, "possible", tuple(missing))
    return VariantMatch(variant.number, "matched")


def match_compiled(compiled: Compiled, facts: Mapping[str, FactValue]) -> tuple[VariantMatch, ...]:
    return tuple(_match_variant(compiled, variant, facts) for variant in compiled.variants)


def explain(compiled: Compiled, variant: VariantEntry, facts: Mapping[str, FactValue]) -> tuple[CriterionTruth, ...]:
    return tuple(
        CriterionTruth(criterion.text, TRUTH_TEXT[criterion_truth(compiled, criterion, facts)])
        for criterion in variant.criteria
    )


def patient_values(compiled: Compiled, facts: Mapping[str, FactValue]) -> list[tuple[IRI, FactValue | IRI]]:
    """The patient's facts as (property, value) rows for the ``patient`` parameter of the queries."""
    rows: list[tuple[IRI, FactValue | IRI]] = []
    for key, value in facts.items():
        prop = IRI(compiled.fact_properties[key])
        rows.append((prop, value if isinstance(value, bool) else IRI(compiled.object_facts[key][value])))
    return rows


def _canonical_order(compiled: Compiled, number: int, keys: list[str]) -> tuple[str, ...]:
    """Order fact keys as the variant's criteria list them (SPARQL's GROUP_CONCAT order is unspecified)."""
    order = [r.key for c in compiled.variants[number - 1].criteria for r in c.requirements]
    return tuple(sorted(dict.fromkeys(keys), key=lambda k: order.index(k) if k in order else len(order)))


def match_sparql(engine: Engine, compiled: Compiled, facts: Mapping[str, FactValue]) -> tuple[VariantMatch, ...]:
    query = queries.get("match_variants")
    rows = engine.select(queries.bind(query, {"patient": patient_values(compiled, facts)}))
    matches = []
    for row in rows:
        number = row["number"]
        status: Status = row["status"]
        missing = _canonical_order(compiled, number, row["missing"].split()) if status == "possible" else ()
        reason = ""
        if status == "excluded":
            parts = row["reason"].split(" and ")
            keys = _canonical_order(compiled, number, [part.split(" is ", 1)[0] for part in parts])
            by_key = {part.split(" is ", 1)[0]: part for part in parts}
            reason = " and ".join(by_key[key] for key in keys)
        matches.append(VariantMatch(number, status, missing, reason))
    return tuple(matches)
