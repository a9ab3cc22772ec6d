"""Derived facts: the graph's ``vcf:Derivation`` rules, read by ``queries/vocabulary/derivations.rq``, applied.

Every rule has the form "fact p has value v ⇒ fact q has value w" and is stated once in the graph. This module
applies the rules to a patient in JSON words (fact keys, ``red_flags``, ``sins.<component>``), to a fixpoint, and
writes the same rules as OWL axioms for a reasoner (each a subclass axiom between two ``owl:hasValue``
restrictions). ``python -m vcfkg.canonical`` keeps the axioms in ``ontology/vcf.ttl`` generated from the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, NamedTuple

from vcfkg.engines import IRI, Engine, Row
from vcfkg.errors import InvalidPatientError
from vcfkg.namespace import OWL, RDF, RDFS

if TYPE_CHECKING:
    import pyoxigraph

FactValue = bool | str
RED_FLAGS = "red_flags"  # the JSON field of the red flags, a list
SINS_PREFIX = "sins."  # a SINS component's JSON field is sins.<component>


class Derivation(NamedTuple):
    """One rule in a patient's JSON words: ``if_field`` = ``if_value`` ⇒ ``then_field`` = ``then_value``."""

    if_field: str
    if_value: FactValue
    then_field: str
    then_value: FactValue


def read(engine: Engine) -> tuple[Rules, list[Row]]:
    """The graph's derivations in JSON words, and the query's rows (with the RDF terms) as answered."""
    from vcfkg import queries

    rows = queries.select(engine, "vocabulary/derivations")
    rules = Rules(Derivation(r["ifField"], r["ifValue"], r["thenField"], r["thenValue"]) for r in rows)
    return rules, rows


def text(value: FactValue) -> str:
    """A fact's value as the patient writes it in JSON (``true``, ``false``, or the identifier)."""
    return ("true" if value else "false") if isinstance(value, bool) else value


def describe(field: str, value: FactValue, source: str | None) -> str:
    """``field is value`` (``red flag X is given``), with ``(derived from source)`` when it was derived, not given."""
    worded = f"red flag {value} is given" if field == RED_FLAGS else f"{field} is {text(value)}"
    return f"{worded} (derived from {source})" if source else worded


class Derived(NamedTuple):
    """A patient after the derivations: facts, red flags, and for each derived field the field it came from."""

    facts: dict[str, FactValue]
    red_flags: tuple[str, ...]
    sources: dict[str, str]


class Rules:
    """The derivation rules, indexed by the field and value that fire them, so that applying them to a patient
    looks up the patient's own facts instead of testing every rule."""

    def __init__(self, rules: Iterable[Derivation]) -> None:
        self.rules = tuple(rules)
        self.by_trigger: dict[tuple[str, FactValue], list[Derivation]] = {}
        for rule in self.rules:
            self.by_trigger.setdefault((rule.if_field, rule.if_value), []).append(rule)
        # the (fact, value) pairs that fire a rule: fewer than a patient's facts, so these are looked up
        self.trigger_facts = tuple(
            trigger for trigger in self.by_trigger if trigger[0] != RED_FLAGS and not trigger[0].startswith(SINS_PREFIX)
        )

    def __iter__(self) -> Iterator[Derivation]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rules) and self.rules == other.rules

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rules({list(self.rules)!r})"

    def apply(
        self, facts: dict[str, FactValue], red_flags: Iterable[str] = (), sins: Mapping[str, str] | None = None
    ) -> Derived:
        """Apply the rules in rounds (each round to the facts known before it) until nothing changes; a fact
        that disagrees with a derived value raises :class:`InvalidPatientError` naming both (``mechanical_pain: is
        true, but sins.pain is none``). A fact derived more than one way names the source of the shortest chain,
        then the first in alphabetical order, as ``queries/derived_facts.rq`` does.

        Each round looks only at the rules fired by what the round before added: a rule fired by an older fact
        has already been applied (or has raised).

        >>> rules = Rules([Derivation("worsening_pain", True, "symptomatic", True)])
        >>> rules.apply({"worsening_pain": True}).sources
        {'symptomatic': 'worsening_pain'}
        """
        by_trigger = self.by_trigger
        flags = list(red_flags)
        fired: list[Derivation] = []
        for field, value in self.trigger_facts:
            if facts.get(field) == value:
                fired += by_trigger[field, value]
        for flag in flags:
            fired += by_trigger.get((RED_FLAGS, flag), ())
        if sins:
            for component, option in sins.items():
                fired += by_trigger.get((SINS_PREFIX + component, option), ())
        sources: dict[str, str] = {}
        while fired:
            found = [
                rule
                for rule in fired
                if (
                    rule.then_value not in flags
                    if rule.then_field == RED_FLAGS
                    else facts.get(rule.then_field) != rule.then_value
                )
            ]
            if len(found) > 1:
                found.sort(key=_round_order)
            fired = []
            for rule in found:
                if rule.then_field == RED_FLAGS:
                    if rule.then_value not in flags:
                        flags.append(str(rule.then_value))
                        fired += by_trigger.get((RED_FLAGS, rule.then_value), ())
                    continue
                known = facts.get(rule.then_field)
                if known is None:
                    facts[rule.then_field] = rule.then_value
                    sources[rule.then_field] = rule.if_field
                    fired += by_trigger.get((rule.then_field, rule.then_value), ())
                elif known != rule.then_value:
                    given = describe(rule.then_field, known, sources.get(rule.then_field))
                    source = describe(rule.if_field, rule.if_value, sources.get(rule.if_field))
                    raise InvalidPatientError(
                        rule.then_field, f"{given.removeprefix(rule.then_field + ' ')}, but {source}"
                    )
        return Derived(facts, tuple(flags), sources)


def _round_order(rule: Derivation) -> tuple[str, str]:
    """The order in which one round applies its rules: by the field derived, then the field it comes from."""
    return rule.then_field, rule.if_field


def owl_axioms(rows: Iterable[Row]) -> list[pyoxigraph.Triple]:
    """The rules as OWL 2 axioms: ``(ifFact value ifTerm) SubClassOf (thenFact value thenTerm)``, one per row of
    ``queries/vocabulary/derivations.rq``."""
    from pyoxigraph import BlankNode, Literal, NamedNode, Triple

    def term(value: IRI | bool | str) -> NamedNode | Literal:
        return NamedNode(value) if isinstance(value, IRI) else Literal(value)

    triples: list[Triple] = []
    for row in rows:
        name = row["derivation"].rsplit("/", 1)[-1]
        sub, sup = BlankNode(f"if-{name}"), BlankNode(f"then-{name}")
        for node, prop, value in ((sub, row["ifFact"], row["ifTerm"]), (sup, row["thenFact"], row["thenTerm"])):
            triples += [
                Triple(node, NamedNode(RDF + "type"), NamedNode(OWL + "Restriction")),
                Triple(node, NamedNode(OWL + "onProperty"), NamedNode(prop)),
                Triple(node, NamedNode(OWL + "hasValue"), term(value)),
            ]
        triples.append(Triple(sub, NamedNode(RDFS + "subClassOf"), sup))
    return triples
