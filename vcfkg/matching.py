"""Three-valued matching of a patient's facts against the variants' criteria, on two paths that must agree:

* the compiled path evaluates the compiled vocabulary's criteria with a :class:`Matcher` (microseconds);
* the SPARQL path runs ``queries/derived_facts.rq`` with the given facts bound as VALUES, then
  ``queries/match_facts.rq`` (``match_variants.rq`` without its derived-facts subquery) with its rows.

A criterion is true if one of its requirements is known true, false if all are known false, else unknown.
A variant is matched when all criteria are true, excluded when one is false (``reason``: the first false
criterion, in the patient's words), otherwise possible (``missing``: the unknown facts that would decide it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter
from typing import Any, Literal, NamedTuple

from vcfkg import derivation
from vcfkg.compiled import Compiled
from vcfkg.engines import IRI, Engine, Row
from vcfkg.models import (
    Conflict,
    Criterion,
    CriterionTruth,
    ExcludedVariant,
    MatchedVariant,
    PossibleVariant,
    Question,
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
    only on the values of the facts the criteria mention (and, for derived facts, where they came from). An
    answer is assembled variant by variant: each variant's result depends only on the few facts its own criteria
    mention, and is kept per variant (``variant_memo``), so diverse patients reuse results. The answers of the
    most recent combinations are kept whole (``memo``, small: with diverse patients a large one costs more than
    it saves, ``python -m vcfkg.bench``). Memos are bounded and start again when full.
    """

    MAX_ROWS = 100_000  # per variant, and of the conflicts of matched combinations
    MAX_ANSWERS = 4096

    def __init__(self, compiled: Compiled) -> None:
        self.compiled = compiled
        self.variants = tuple(
            (variant.number, tuple(tuple((r.key, self._truths(r)) for r in c.requirements) for c in variant.criteria))
            for variant in compiled.variants
        )
        self.keys = tuple(dict.fromkeys(key for _, criteria in self.variants for c in criteria for key, _ in c))
        self.memo: dict[tuple[object, ...], Answer] = {}
        positions = {key: index for index, key in enumerate(self.keys)}
        variant_positions = [
            [positions[key] for key in dict.fromkeys(key for c in criteria for key, _ in c)]
            for _, criteria in self.variants
        ]
        # a variant's memo key: the values of the facts its criteria mention, picked from the row of all of them
        # (then, for a patient with derived facts, the sources of those facts, from the second half of the row)
        values = [_picker(indexes) for indexes in variant_positions]
        values_and_sources = [
            _picker([*indexes, *(len(self.keys) + i for i in indexes)]) for indexes in variant_positions
        ]
        self.variant_memo: tuple[dict[object, tuple[int, MatchedVariant | PossibleVariant | ExcludedVariant]], ...] = (
            tuple({} for _ in self.variants)
        )
        # per variant: number, criteria, how to pick its key from a row, its memo (without, then with sources)
        self.prepared, self.sources_prepared = (
            tuple(
                (number, criteria, pick, memo)
                for (number, criteria), pick, memo in zip(self.variants, pickers, self.variant_memo, strict=True)
            )
            for pickers in (values, values_and_sources)
        )
        self.exclusions: dict[tuple[object, ...], VariantMatch] = {}  # keyed by id of a criterion kept in variants
        self.conflict_memo: dict[tuple[int, ...], tuple[tuple[MatchedVariant, ...], tuple[Conflict, ...]]] = {}

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
            row += tuple(map(derived_from.get, self.keys))
        known = self.memo.get(row)
        if known is None:
            if len(self.memo) >= self.MAX_ANSWERS:
                self.memo.clear()
            known = self.memo[row] = self._assemble(row, facts, derived_from)
        return known

    def _assemble(
        self, row: tuple[object, ...], facts: Mapping[str, FactValue], derived_from: Mapping[str, str]
    ) -> Answer:
        """The answer for a combination not in the memo (``row``: its key there), from each variant's memo, which
        keeps each result with the index of its status (0 matched, 1 possible, 2 excluded)."""
        groups: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
        for number, criteria, pick, memo in self.sources_prepared if derived_from else self.prepared:
            key = pick(row)
            known = memo.get(key)
            if known is None:
                if len(memo) >= self.MAX_ROWS:
                    memo.clear()
                result = self.result(self._match(number, criteria, facts, derived_from))
                known = memo[key] = (STATUS_INDEX[type(result)], result)
            groups[known[0]].append(known[1])
        return tuple(groups[0]), tuple(groups[1]), tuple(groups[2])

    def conflicts(self, matched: tuple[MatchedVariant, ...]) -> tuple[Conflict, ...]:
        """:func:`~vcfkg.models.conflicts_of` for a matched tuple of this table's answers, kept per combination of
        matched results (which the variant memos share between answers; the memo holds them, so ids stay unique)."""
        if len(matched) < 2:
            return ()
        key = tuple(map(id, matched))
        known = self.conflict_memo.get(key)
        if known is None or known[0] != matched:
            if len(self.conflict_memo) >= self.MAX_ROWS:
                self.conflict_memo.clear()
            known = self.conflict_memo[key] = (matched, conflicts_of(matched))
        return known[1]

    def build(self, matches: tuple[VariantMatch, ...], *, facts: Mapping[str, FactValue]) -> Answer:
        """Result objects for variant statuses, with the criteria truths for these facts (explain)."""
        return grouped(matches, [self.result(match, criteria=self.explain(match.number, facts)) for match in matches])

    def result(
        self, match: VariantMatch, *, criteria: tuple[CriterionTruth, ...] = ()
    ) -> MatchedVariant | PossibleVariant | ExcludedVariant:
        """The result object of one variant's status, worded from the compiled vocabulary."""
        entry = self.compiled.variants[match.number - 1]
        return variant_result(match, entry.title, entry.question, entry.ratings, criteria)

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


STATUS_INDEX: dict[type, int] = {MatchedVariant: 0, PossibleVariant: 1, ExcludedVariant: 2}


def _picker(indexes: list[int]) -> Callable[[tuple[object, ...]], tuple[object, ...]]:
    """A function giving the items at ``indexes`` of a tuple, as a tuple (also for one index)."""
    if len(indexes) == 1:
        [index] = indexes
        return lambda row: (row[index],)
    return itemgetter(*indexes)


def variant_result(
    match: VariantMatch,
    title: str,
    question: Question,
    ratings: tuple[RatedProcedure, ...],
    criteria: tuple[CriterionTruth, ...] = (),
) -> MatchedVariant | PossibleVariant | ExcludedVariant:
    """The result object of one variant's status, from its words (the compiled vocabulary's, or the store's
    answers on the SPARQL path): matched variants carry their question and rated procedures."""
    if match.status == "matched":
        return MatchedVariant(match.number, title, question, ratings, criteria)
    if match.status == "possible":
        return PossibleVariant(match.number, title, match.missing, criteria)
    return ExcludedVariant(match.number, title, match.reason, criteria)


def grouped(
    matches: tuple[VariantMatch, ...], results: list[MatchedVariant | PossibleVariant | ExcludedVariant]
) -> Answer:
    """Results split into matched, possible and excluded, in variant order."""
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


class RowsVariant(NamedTuple):
    """One variant as ``queries/match_facts.rq`` (or ``match_variants.rq``) answers it: its status, title and
    criteria truths."""

    match: VariantMatch
    title: str
    criteria: tuple[Truth, ...]  # in criterion order


def match_rows(rows: Iterable[Row], measured: Mapping[str, str] = NOTHING_DERIVED) -> tuple[RowsVariant, ...]:
    """Group the rows of ``queries/match_facts.rq`` or ``match_variants.rq`` (one per variant, criterion and
    requirement, in order) into variants; the statuses, truths, values and sources are the query's, only worded
    here (``measured``: the source of each fact bound as given but derived from measurements)."""
    by_variant: dict[int, list[Row]] = {}
    for row in rows:
        by_variant.setdefault(row["number"], []).append(row)
    variants = []
    for number, found in by_variant.items():
        missing = tuple(dict.fromkeys(row["key"] for row in found if row["missing"] == "true"))
        worded = reason(
            (row["key"], row["value"], row["derivedFrom"] or measured.get(row["key"]))
            for row in found
            if row["inReason"] == "true"
        )
        criteria = {row["criterionOrder"]: row["criterionTruth"] for row in found}
        variants.append(
            RowsVariant(
                VariantMatch(number, found[0]["status"], missing, worded),
                found[0]["title"],
                tuple(truth for _order, truth in sorted(criteria.items())),
            )
        )
    return tuple(variants)


class VariantWords(NamedTuple):
    """What the SPARQL path words an answer with besides the match rows, as the store answers it: each variant's
    question (``variants.rq``), its criteria with their texts (``vocabulary/criteria.rq``, ``class_truth.rq``,
    worded as the compiled vocabulary words them) and the notice (``vocabulary/notice.rq``)."""

    questions: dict[int, Question]
    criteria: dict[int, tuple[Criterion, ...]]
    notice: str

    @classmethod
    def read(cls, engine: Engine) -> VariantWords:
        """Read the words from the graph."""
        from vcfkg import queries
        from vcfkg.compiled import read_criteria

        notice = queries.select(engine, "vocabulary/notice")
        return cls(
            questions={row["number"]: row["question"] for row in queries.select(engine, "variants")},
            criteria=read_criteria(engine)[1],
            notice=notice[0]["notice"] if notice else "",
        )


class PatientTerms(NamedTuple):
    """The RDF terms of the patient fields that are not facts of the compiled table: red flags and SINS options."""

    red_flag_property: IRI
    red_flags: dict[str, IRI]  # identifier -> individual
    red_flag_ids: dict[IRI, str]
    sins_property: IRI
    sins_options: dict[tuple[str, str], IRI]  # (component, option) -> individual

    @classmethod
    def read(cls, engine: Engine) -> PatientTerms:
        """Read the terms from the graph (``vocabulary/red_flag_terms``, ``sins_terms`` and ``sins``)."""
        from vcfkg import queries

        flags = queries.select(engine, "vocabulary/red_flag_terms")
        return cls(
            red_flag_property=flags[0]["property"],
            red_flags={row["flag"]: row["redFlag"] for row in flags},
            red_flag_ids={row["redFlag"]: row["flag"] for row in flags},
            sins_property=queries.select(engine, "vocabulary/sins_terms")[0]["property"],
            sins_options={
                (row["component"], row["option"]): row["optionNode"]
                for row in queries.select(engine, "vocabulary/sins")
            },
        )
