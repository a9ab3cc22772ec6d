"""Three-valued matching of a patient's facts against the variants' criteria, on two paths that must agree:

* the compiled path evaluates the compiled vocabulary's criteria with a :class:`Matcher` (microseconds);
* the SPARQL path runs ``queries/match_variants.rq`` with the facts bound as VALUES.

A criterion is true if one of its requirements is known true, false if all are known false, else unknown.
A variant is matched when all criteria are true, excluded when one is false (``reason``: the first false
criterion, in the patient's words), otherwise possible (``missing``: the unknown facts that would decide it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, NamedTuple

from vcfkg import derivation, queries
from vcfkg.compiled import Compiled
from vcfkg.engines import IRI, Engine
from vcfkg.models import (
    Conflict,
    CriterionTruth,
    ExcludedVariant,
    MatchedVariant,
    PossibleVariant,
    RatedProcedure,
    Requirement,
    Truth,
    conflicts_of,
)

Status = Literal["matched", "possible", "excluded"]
FactValue = bool | str
TRUTH_TEXT: dict[bool | None, Truth] = {True: "true", False: "false", None: "unknown"}


class VariantMatch(NamedTuple):
    """One variant's status for a patient, with the missing facts (possible) or the reason (excluded)."""

    number: int
    status: Status
    missing: tuple[str, ...] = ()
    reason: str = ""


NOTHING_DERIVED: Mapping[str, str] = {}


def reason(facts: Iterable[tuple[str, FactValue, str | None]]) -> str:
    """The reason of an exclusion: each (fact, value, field it was derived from or None), worded and joined."""
    return " and ".join(derivation.describe(key, value, source) for key, value, source in facts)


Answer = tuple[tuple[MatchedVariant, ...], tuple[PossibleVariant, ...], tuple[ExcludedVariant, ...]]


class Matcher:
    """The criteria prepared for fast evaluation, with a memo of the answers given so far.

    Each requirement becomes a lookup from the given value to its truth (absent: unknown). The answer depends
    only on the values of the facts the criteria mention, so each distinct combination is evaluated once and
    its answer (immutable objects) kept in ``memo``. A combination not seen before is assembled variant by
    variant: each variant's result depends only on the few facts its own criteria mention, and is kept per
    variant (``variant_memo``), so diverse patients still reuse results. Memos are bounded and start again when
    full.
    """

    MAX_ROWS = 100_000

    def __init__(self, compiled: Compiled) -> None:
        self.compiled = compiled
        self.variants = tuple(
            (variant.number, tuple(tuple((r.key, self._truths(r)) for r in c.requirements) for c in variant.criteria))
            for variant in compiled.variants
        )
        self.keys = tuple(dict.fromkeys(key for _, criteria in self.variants for c in criteria for key, _ in c))
        self.memo: dict[tuple[object, ...], Answer] = {}
        self.variant_keys = tuple(
            tuple(dict.fromkeys(key for c in criteria for key, _ in c)) for _, criteria in self.variants
        )
        self.variant_memo: tuple[dict[tuple[object, ...], MatchedVariant | PossibleVariant | ExcludedVariant], ...] = (
            tuple({} for _ in self.variants)
        )
        self.exclusions: dict[tuple[object, ...], VariantMatch] = {}  # keyed by id of a criterion kept in variants
        self.conflict_memo: dict[int, tuple[tuple[MatchedVariant, ...], tuple[Conflict, ...]]] = {}

    def _truths(self, requirement: Requirement) -> dict[FactValue, bool]:
        if requirement.value is not None:
            return {requirement.value: True, not requirement.value: False}
        return {
            value: truth
            for (cls, value), truth in self.compiled.class_truth.items()
            if cls == requirement.required_class
        }

    def match(
        self, facts: Mapping[str, FactValue], derived_from: Mapping[str, str] = NOTHING_DERIVED
    ) -> tuple[VariantMatch, ...]:
        """Each variant's status, evaluated from the prepared criteria (``derived_from``: see :class:`Patient`)."""
        return tuple(self._match(number, criteria, facts, derived_from) for number, criteria in self.variants)

    def answer(self, facts: Mapping[str, FactValue], derived_from: Mapping[str, str] = NOTHING_DERIVED) -> Answer:
        """Matched, possible and excluded variants for these facts, from the memo (or evaluated and added)."""
        row: tuple[object, ...] = tuple(map(facts.get, self.keys))
        if derived_from:
            row = (*row, frozenset(derived_from.items()))
        known = self.memo.get(row)
        if known is None:
            if len(self.memo) >= self.MAX_ROWS:
                self.memo.clear()
            known = self.memo[row] = self._assemble(facts, derived_from)
        return known

    def _assemble(self, facts: Mapping[str, FactValue], derived_from: Mapping[str, str]) -> Answer:
        """The answer for a combination not in the memo, from each variant's memo of results."""
        grouped: dict[type, list[Any]] = {MatchedVariant: [], PossibleVariant: [], ExcludedVariant: []}
        for (number, criteria), keys, memo in zip(self.variants, self.variant_keys, self.variant_memo, strict=True):
            key: tuple[object, ...] = tuple(map(facts.get, keys))
            if derived_from:
                key = (*key, *map(derived_from.get, keys))
            result = memo.get(key)
            if result is None:
                if len(memo) >= self.MAX_ROWS:
                    memo.clear()
                result = memo[key] = self.result(self._match(number, criteria, facts, derived_from))
            grouped[type(result)].append(result)
        return tuple(grouped[MatchedVariant]), tuple(grouped[PossibleVariant]), tuple(grouped[ExcludedVariant])

    def conflicts(self, matched: tuple[MatchedVariant, ...]) -> tuple[Conflict, ...]:
        """:func:`~vcfkg.models.conflicts_of` for a matched tuple of this table's answers, kept per tuple (the
        memo holds the tuple, so its id stays unique)."""
        if len(matched) < 2:
            return ()
        known = self.conflict_memo.get(id(matched))
        if known is None or known[0] is not matched:
            if len(self.conflict_memo) >= self.MAX_ROWS:
                self.conflict_memo.clear()
            known = self.conflict_memo[id(matched)] = (matched, conflicts_of(matched))
        return known[1]

    def build(
        self,
        matches: tuple[VariantMatch, ...],
        *,
        facts: Mapping[str, FactValue] | None = None,
        procedures: Mapping[int, tuple[RatedProcedure, ...]] | None = None,
    ) -> Answer:
        """Result objects for variant statuses; ``facts`` adds the criteria truths (explain), ``procedures``
        replaces the compiled ratings (as the SPARQL path answers them)."""
        return _grouped(
            matches,
            [
                self.result(
                    match,
                    criteria=self.explain(match.number, facts) if facts is not None else (),
                    ratings=procedures.get(match.number, ()) if procedures is not None else None,
                )
                for match in matches
            ],
        )

    def result(
        self,
        match: VariantMatch,
        *,
        criteria: tuple[CriterionTruth, ...] = (),
        ratings: tuple[RatedProcedure, ...] | None = None,
    ) -> MatchedVariant | PossibleVariant | ExcludedVariant:
        """The result object of one variant's status."""
        entry = self.compiled.variants[match.number - 1]
        if match.status == "matched":
            procedures = entry.ratings if ratings is None else ratings
            return MatchedVariant(entry.number, entry.title, entry.question, procedures, criteria)
        if match.status == "possible":
            return PossibleVariant(entry.number, entry.title, match.missing, criteria)
        return ExcludedVariant(entry.number, entry.title, match.reason, criteria)

    def explain(self, number: int, facts: Mapping[str, FactValue]) -> tuple[CriterionTruth, ...]:
        """Each criterion of a variant as text, with its truth for these facts."""
        return tuple(
            CriterionTruth(criterion.text, TRUTH_TEXT[self._criterion_truth(requirements, facts)])
            for criterion, requirements in zip(
                self.compiled.variants[number - 1].criteria, self.variants[number - 1][1], strict=True
            )
        )

    @staticmethod
    def _criterion_truth(
        requirements: tuple[tuple[str, dict[FactValue, bool]], ...], facts: Mapping[str, FactValue]
    ) -> bool | None:
        """True if a requirement is known true, False if all are known false, else None (unknown)."""
        all_false = True
        for key, truths in requirements:
            truth = truths.get(facts.get(key))  # type: ignore[arg-type]
            if truth:
                return True
            if truth is None:
                all_false = False
        return False if all_false else None

    def _match(
        self,
        number: int,
        criteria: tuple[tuple[tuple[str, dict[FactValue, bool]], ...], ...],
        facts: Mapping[str, FactValue],
        derived_from: Mapping[str, str],
    ) -> VariantMatch:
        missing: list[str] = []
        for requirements in criteria:
            truth = self._criterion_truth(requirements, facts)
            if truth is False:
                return self._excluded(
                    number,
                    requirements,
                    tuple(facts[key] for key, _ in requirements),
                    tuple(derived_from.get(key) for key, _ in requirements) if derived_from else (),
                )
            if truth is None:
                for key, truths in requirements:
                    if key not in missing and truths.get(facts.get(key)) is None:  # type: ignore[arg-type]
                        missing.append(key)
        if missing:
            return VariantMatch(number, "possible", tuple(missing))
        return VariantMatch(number, "matched")

    def _excluded(
        self,
        number: int,
        requirements: tuple[tuple[str, dict[FactValue, bool]], ...],
        values: tuple[FactValue, ...],
        sources: tuple[str | None, ...],
    ) -> VariantMatch:
        """The exclusion by a false criterion, its reason worded once per (criterion, values, sources)."""
        key = (id(requirements), *values, *sources)
        known = self.exclusions.get(key)
        if known is None:
            worded = reason(
                (k, v, sources[i] if sources else None)
                for i, ((k, _), v) in enumerate(zip(requirements, values, strict=True))
            )
            known = self.exclusions[key] = VariantMatch(number, "excluded", (), worded)
        return known


def _grouped(
    matches: tuple[VariantMatch, ...], results: list[MatchedVariant | PossibleVariant | ExcludedVariant]
) -> Answer:
    by_status: dict[str, list[Any]] = {"matched": [], "possible": [], "excluded": []}
    for match, result in zip(matches, results, strict=True):
        by_status[match.status].append(result)
    return tuple(by_status["matched"]), tuple(by_status["possible"]), tuple(by_status["excluded"])


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


def match_sparql(
    engine: Engine,
    compiled: Compiled,
    facts: Mapping[str, FactValue],
    derived_from: Mapping[str, str] = NOTHING_DERIVED,
) -> tuple[VariantMatch, ...]:
    """Each variant's status as ``queries/match_variants.rq`` answers it for these facts."""
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
            reason = " and ".join(
                f"{by_key[key]} (derived from {derived_from[key]})" if key in derived_from else by_key[key]
                for key in keys
            )
        matches.append(VariantMatch(number, status, missing, reason))
    return tuple(matches)
