"""Derived facts: the graph's ``vcf:Derivation`` rules, read by ``queries/vocabulary/derivations.rq``, applied.

Every rule has the form "fact p has value v ⇒ fact q has value w" and is stated once in the graph. This module
applies the rules to a patient in JSON words (fact keys, ``red_flags``, ``sins.<component>``), to a fixpoint, and
writes the same rules as OWL axioms for a reasoner (each a subclass axiom between two ``owl:hasValue``
restrictions). ``python -m vcfkg.canonical`` keeps the axioms in ``ontology/vcf.ttl`` generated from the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


def read(engine: Engine) -> tuple[tuple[Derivation, ...], list[Row]]:
    """The graph's derivations in JSON words, and the query's rows (with the RDF terms) as answered."""
    from vcfkg import queries

    rows = queries.select(engine, "vocabulary/derivations")
    rules = tuple(Derivation(r["ifField"], r["ifValue"], r["thenField"], r["thenValue"]) for r in rows)
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


def apply(
    rules: Sequence[Derivation],
    facts: dict[str, FactValue],
    red_flags: Iterable[str] = (),
    sins: dict[str, str] | None = None,
) -> Derived:
    """Apply ``rules`` until nothing changes; a fact that disagrees with a derived value raises
    :class:`InvalidPatientError` naming both (``mechanical_pain: is true, but sins.pain is none``).

    >>> rules = [Derivation("worsening_pain", True, "symptomatic", True)]
    >>> apply(rules, {"worsening_pain": True}).sources
    {'symptomatic': 'worsening_pain'}
    """
    flags = list(red_flags)
    sources: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for rule in rules:
            if not _holds(rule.if_field, rule.if_value, facts, flags, sins):
                continue
            if rule.then_field == RED_FLAGS:
                if rule.then_value not in flags:
                    flags.append(str(rule.then_value))
                    changed = True
                continue
            known = facts.get(rule.then_field)
            if known is None:
                facts[rule.then_field] = rule.then_value
                sources[rule.then_field] = rule.if_field
                changed = True
            elif known != rule.then_value:
                given = describe(rule.then_field, known, sources.get(rule.then_field))
                source = describe(rule.if_field, rule.if_value, sources.get(rule.if_field))
                raise InvalidPatientError(rule.then_field, f"{given.removeprefix(rule.then_field + ' ')}, but {source}")
    return Derived(facts, tuple(flags), sources)


def _holds(
    field: str, value: FactValue, facts: dict[str, FactValue], flags: list[str], sins: dict[str, str] | None
) -> bool:
    if field == RED_FLAGS:
        return value in flags
    if field.startswith(SINS_PREFIX):
        return sins is not None and sins.get(field.removeprefix(SINS_PREFIX)) == value
    return facts.get(field) == value


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
