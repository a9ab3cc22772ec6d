"""The tests' one support module: an independent reading of the criteria (the oracle), the shared test patients,
and the hand-typed tables of tests/data.

The oracle's criteria are written from the issue text, not from the graph: if the graph's criteria drift, the tests
comparing against it fail. Its derivations are the one rule set that lives only in the graph (issue 11), so the
oracle reads the vcf:Derivation data of vcf.ttl with its own few lines of rdflib (not vcfkg.derivation nor
queries/) and applies them to a fixed point. The patients are each variant's canonical patient
(tests/data/patients), every single-fact change of them, and seeded random consistent patients.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF

from vcfkg.resources import ontology_path

DATA = Path(__file__).parent / "data"


def read_tsv(name: str) -> list[dict[str, str]]:
    """A tab-separated table of tests/data, as rows of column -> text."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


# -- the oracle: the criteria read from the issue text ----------------------------------------------------------
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
SINS_PAIN = ("mechanical", "occasional", "none")  # the options of the SINS component that derivations read

Truth = bool | None
VCF = rdflib.Namespace("https://w3id.org/vcfkg/")


# -- the oracle's derivations: the graph's vcf:Derivation data, read with rdflib (not by vcfkg), applied -----------
Rule = tuple[str, object, str, object]
"""One derivation in a patient's JSON words: if ``field`` is ``value`` then ``field`` is ``value``."""


class Contradiction(ValueError):
    """A patient's given facts disagree with what the derivations give (such a patient is not consistent)."""


def _json_words(graph: rdflib.Graph, fact: rdflib.term.Node, value: rdflib.term.Node) -> tuple[str, object]:
    """A (property, value) pair of the graph as a patient writes it: ``("worsening_pain", True)``,
    ``("red_flags", "history_of_cancer")``, ``("sins.pain", "mechanical")`` (a SINS option names its component)."""
    field = graph.value(fact, DCTERMS.identifier)
    assert field is not None, f"{fact} has no dcterms:identifier"
    if isinstance(value, rdflib.Literal):
        return str(field), value.toPython()
    identifier = graph.value(value, DCTERMS.identifier)
    assert identifier is not None, f"{value} has no dcterms:identifier"
    component = graph.value(value, VCF.hasComponent)
    if component is not None:
        return f"{field}.{graph.value(component, DCTERMS.identifier)}", str(identifier)
    return str(field), str(identifier)


def derivation_links(graph: rdflib.Graph) -> list[tuple[rdflib.term.Node, ...]]:
    """Each vcf:Derivation of the graph as (ifFact, ifValue, thenFact, thenValue), the RDF terms as stated."""
    links = []
    for node in sorted(graph.subjects(RDF.type, VCF.Derivation)):
        parts = tuple(graph.value(node, VCF[p]) for p in ("ifFact", "ifValue", "thenFact", "thenValue"))
        assert None not in parts, f"{node} lacks one of ifFact, ifValue, thenFact, thenValue"
        links.append(parts)
    return links


def derivation_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """The derivations of the graph in ``path`` (default: the shipped vcf.ttl) in a patient's JSON words."""
    graph = rdflib.Graph().parse(path or ontology_path())
    return tuple(
        (*_json_words(graph, if_fact, if_value), *_json_words(graph, then_fact, then_value))
        for if_fact, if_value, then_fact, then_value in derivation_links(graph)
    )


def longest_chain(graph: rdflib.Graph) -> int:
    """The most derivations applied one after another, each deriving a new fact from the previous one's: the
    longest path without a repeated (fact, value) through the graph's derivations (a cycle such as malignancy
    history <=> the history of cancer red flag adds nothing)."""
    steps: dict[tuple[rdflib.term.Node, ...], set[tuple[rdflib.term.Node, ...]]] = {}
    for if_fact, if_value, then_fact, then_value in derivation_links(graph):
        steps.setdefault((if_fact, if_value), set()).add((then_fact, then_value))

    def longest_from(node: tuple[rdflib.term.Node, ...], seen: frozenset[tuple[rdflib.term.Node, ...]]) -> int:
        return max((1 + longest_from(n, seen | {n}) for n in steps.get(node, ()) if n not in seen), default=0)

    return max((longest_from(node, frozenset({node})) for node in steps), default=0)


RULES = derivation_rules()


def derive(patient: Mapping[str, object], rules: Sequence[Rule] = RULES) -> dict[str, object]:
    """The patient's known facts: those given and what ``rules`` give from them, applied until nothing changes.
    SINS options are facts ``sins.<component>``; ``red_flags`` is a set. Raises :class:`Contradiction` when a
    derived value disagrees with a known one."""
    facts: dict[str, object] = {k: v for k, v in patient.items() if k not in ("red_flags", "sins") and v is not None}
    sins = patient.get("sins") or {}
    facts.update({f"sins.{k}": v for k, v in sins.items()})  # type: ignore[attr-defined]
    flags = set(patient.get("red_flags") or ())  # type: ignore[call-overload]

    def known(field: str, value: object) -> bool:
        return value in flags if field == "red_flags" else field in facts and facts[field] == value

    changed = True
    while changed:
        changed = False
        for if_field, if_value, then_field, then_value in rules:
            if not known(if_field, if_value) or known(then_field, then_value):
                continue
            if then_field == "red_flags":
                flags.add(then_value)
            elif then_field in facts:
                raise Contradiction(f"{then_field} is {facts[then_field]}, but {if_field} is {if_value}")
            else:
                facts[then_field] = then_value
            changed = True
    return {**facts, "red_flags": frozenset(flags)}


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
    """Whether the patient's given facts agree with every derivation of the graph."""
    try:
        derive(patient)
    except Contradiction:
        return False
    return True


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
        if rng.random() < 0.2:
            patient["sins"] = {"pain": rng.choice(SINS_PAIN)}
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
