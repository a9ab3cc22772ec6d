"""Variant matching by OWL classification: the patient in the ontology's vocabulary, classified by HermiT.

Each patient is written as an OWL class: a subclass of ``vcf:PatientDescription`` and of one ``owl:hasValue``
restriction per known fact (``vcf:symptomatic value true``, ``vcf:hasQuestion value vcf:imaging-question``,
``vcf:hasRedFlag value vcf:red-flag-fever``, ...), the properties and values read from the graph. That class
holds exactly the patient descriptions with those facts, so the variant classes (``vcf:hasPatientClass``) HermiT
places above it are the variants such a patient is inferred to belong to, and facts that contradict the
ontology make it unsatisfiable. Classes, not individuals, because HermiT classifies thousands of independent
classes in one run, while realizing individuals that share one ABox grows quadratically (measured with 1,000
patients: 9 s as classes, 157 s as individuals), and because one contradictory patient then leaves the other
answers intact instead of making the whole ontology inconsistent.

The rules come from the loaded graph as data, so HermiT follows any copy of it (``load(path)``): each variant's
class is written from its criteria (``queries/vocabulary/criteria.rq``) and the derived facts' axioms from the
derivations (``queries/vocabulary/derivations.rq``), in place of the copies ``ontology/vcf.ttl`` keeps for other
OWL tools (tests hold those equal to the generated ones).

HermiT is the copy shipped with owlready2, run with owlready2's Java settings. Only the class hierarchy is
asked for (``-c``): owlready2's ``sync_reasoner`` would also classify every property and realize every
individual of the graph, which doubles the time and adds nothing here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from vcfkg.errors import InvalidPatientError, ReasonerError
from vcfkg.namespace import OWL, RDF, RDFS, VCF_IRI

if TYPE_CHECKING:
    import pyoxigraph

    from vcfkg.engines import Row
    from vcfkg.kg import KnowledgeGraph

CHOICE_FACTS = ("question", "etiology")  # the facts whose value is one of the graph's individuals
VARIANT_CLASS = "urn:vcfkg:variant:"  # + number: the class generated from a variant's criteria
HERMIT_LINE = re.compile(r"^(SubClassOf|EquivalentClasses)\( ((?:<[^>]+> ?)+)\)$", re.MULTILINE)


class Fact(NamedTuple):
    """One known fact: its JSON key and value as given (for messages), and as RDF."""

    key: str
    value: str
    property: pyoxigraph.NamedNode
    term: pyoxigraph.NamedNode | pyoxigraph.Literal

    def __str__(self) -> str:
        return f"{self.key}: {self.value}"


@dataclass(frozen=True)
class Vocabulary:
    """The patient vocabulary's IRIs, and the ontology as N-Triples, read once from the graph."""

    booleans: dict[str, str]  # JSON key -> property
    choices: dict[str, tuple[str, dict[str, str]]]  # JSON key -> (property, value identifier -> individual)
    red_flag_property: str
    red_flags: dict[str, str]  # red-flag identifier -> individual
    sins_property: str
    sins_options: dict[tuple[str, str], str]  # (component, option) -> individual
    variant_classes: dict[str, int]  # generated class (urn:vcfkg:variant:N) -> N
    ontology: bytes  # N-Triples: the graph with its rules generated from their data
    kg: KnowledgeGraph


def vocabulary(kg: KnowledgeGraph | None = None) -> Vocabulary:
    """The patient vocabulary and the ontology for HermiT, read from ``kg`` (default: the shipped graph)."""
    if kg is None:
        from vcfkg.kg import default_graph

        kg = default_graph()
    return _vocabulary(kg)


@lru_cache(maxsize=4)
def _vocabulary(kg: KnowledgeGraph) -> Vocabulary:
    import pyoxigraph

    from vcfkg import derivation, queries

    engine = kg.engine
    facts = queries.select(engine, "vocabulary/patient_facts")
    booleans: dict[str, str] = {}
    choices: dict[str, tuple[str, dict[str, str]]] = {}
    for row in facts:
        if row["valueType"] == "boolean":
            booleans[row["key"]] = row["property"]
        elif row["key"] in CHOICE_FACTS:
            choices.setdefault(row["key"], (row["property"], {}))[1][row["value"]] = row["valueIri"]
    red_flags = queries.select(engine, "vocabulary/red_flag_terms")
    sins_property = next(row["property"] for row in queries.select(engine, "vocabulary/sins_terms"))
    _rules, derivations = derivation.read(engine)
    numbers, classes = variant_class_axioms(
        queries.select(engine, "vocabulary/criteria"), {row["key"]: row["property"] for row in facts}
    )
    graph = _graph_triples(kg)
    stated = _derivation_axioms(graph)
    triples = [triple for triple in graph if triple not in stated]
    triples += [*derivation.owl_axioms(derivations), *classes]
    return Vocabulary(
        booleans=booleans,
        choices=choices,
        red_flag_property=red_flags[0]["property"],
        red_flags={row["flag"]: row["redFlag"] for row in red_flags},
        sins_property=sins_property,
        sins_options={
            (row["component"], row["option"]): row["optionNode"] for row in queries.select(engine, "vocabulary/sins")
        },
        variant_classes={VARIANT_CLASS + str(n): n for n in numbers},
        ontology=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b"",
        kg=kg,
    )


def _graph_triples(kg: KnowledgeGraph) -> list[pyoxigraph.Triple]:
    """Every triple of the graph, embedded or remote (as :meth:`KnowledgeGraph.serialize` hands them over)."""
    import pyoxigraph

    return [quad.triple for quad in pyoxigraph.parse(kg.serialize(), format=pyoxigraph.RdfFormat.N_TRIPLES)]


def _derivation_axioms(triples: Sequence[pyoxigraph.Triple]) -> set[pyoxigraph.Triple]:
    """The triples of the subclass axioms between two anonymous ``owl:hasValue`` restrictions (a graph's own copy
    of the derivations, replaced by the axioms generated from its ``vcf:Derivation`` rules)."""
    import pyoxigraph

    has_value = {t.subject for t in triples if t.predicate.value == OWL + "hasValue"}
    nodes = {
        node
        for t in triples
        if t.predicate.value == RDFS + "subClassOf" and t.subject in has_value and t.object in has_value
        for node in (t.subject, t.object)
        if isinstance(node, pyoxigraph.BlankNode)
    }
    return {t for t in triples if t.subject in nodes}


def variant_class_axioms(
    criteria: Sequence[Row], properties: Mapping[str, str]
) -> tuple[list[int], list[pyoxigraph.Triple]]:
    """Each variant's class of patient descriptions, written from its criteria (rows of
    ``queries/vocabulary/criteria.rq``): the intersection of ``vcf:PatientDescription`` and, per criterion, the
    union of its requirements (``fact value v`` for a boolean, ``fact some C`` for a class)."""
    from pyoxigraph import BlankNode, Literal, NamedNode, Triple

    rdf_type, owl_class = NamedNode(RDF + "type"), NamedNode(OWL + "Class")
    triples: list[Triple] = []

    def rdf_list(items: Sequence[NamedNode | BlankNode]) -> BlankNode:
        head = BlankNode()
        node = head
        for index, item in enumerate(items):
            rest = BlankNode() if index < len(items) - 1 else NamedNode(RDF + "nil")
            triples.extend([Triple(node, NamedNode(RDF + "first"), item), Triple(node, NamedNode(RDF + "rest"), rest)])
            if isinstance(rest, BlankNode):
                node = rest
        return head

    def requirement(row: Row) -> BlankNode:
        node = BlankNode()
        triples.extend(
            [
                Triple(node, rdf_type, NamedNode(OWL + "Restriction")),
                Triple(node, NamedNode(OWL + "onProperty"), NamedNode(properties[row["key"]])),
            ]
        )
        if row["requiredClass"] is not None:
            triples.append(Triple(node, NamedNode(OWL + "someValuesFrom"), NamedNode(row["requiredClass"])))
        else:
            triples.append(Triple(node, NamedNode(OWL + "hasValue"), Literal(row["requiredValue"])))
        return node

    variants: dict[int, dict[int, list[Row]]] = {}
    for row in criteria:
        variants.setdefault(row["number"], {}).setdefault(row["criterion"], []).append(row)
    for number, clauses in sorted(variants.items()):
        members: list[NamedNode | BlankNode] = [NamedNode(VCF_IRI + "PatientDescription")]
        for _order, rows in sorted(clauses.items()):
            if len(rows) == 1:
                members.append(requirement(rows[0]))
            else:
                union = BlankNode()
                triples.extend(
                    [
                        Triple(union, rdf_type, owl_class),
                        Triple(union, NamedNode(OWL + "unionOf"), rdf_list([requirement(r) for r in rows])),
                    ]
                )
                members.append(union)
        cls, expression = NamedNode(VARIANT_CLASS + str(number)), BlankNode()
        triples.extend(
            [
                Triple(cls, rdf_type, owl_class),
                Triple(cls, NamedNode(OWL + "equivalentClass"), expression),
                Triple(expression, rdf_type, owl_class),
                Triple(expression, NamedNode(OWL + "intersectionOf"), rdf_list(members)),
            ]
        )
    return sorted(variants), triples


def patient_facts(patient: Mapping[str, object], field: str = "", *, vocab: Vocabulary | None = None) -> list[Fact]:
    """The known facts of a JSON-style patient (fact keys, a ``red_flags`` list, ``sins`` options) as RDF;
    raises on bad input. ``field`` prefixes the field named in errors (e.g. ``patients[3].``).
    """
    from pyoxigraph import Literal, NamedNode

    from vcfkg.patient import parse_sins

    vocab = vocab or vocabulary()
    facts: list[Fact] = []
    for key, value in patient.items():
        if key in vocab.booleans:
            if not isinstance(value, bool):
                raise InvalidPatientError(field + key, f"must be true or false, got {value!r}")
            facts.append(Fact(key, str(value).lower(), NamedNode(vocab.booleans[key]), Literal(value)))
        elif key in vocab.choices:
            prop, allowed = vocab.choices[key]
            if not isinstance(value, str) or value not in allowed:
                raise InvalidPatientError(field + key, f"must be one of {', '.join(sorted(allowed))}, got {value!r}")
            facts.append(Fact(key, value, NamedNode(prop), NamedNode(allowed[value])))
        elif key == "red_flags":
            if isinstance(value, str) or not isinstance(value, Iterable):
                raise InvalidPatientError(field + key, f"must be a list of red-flag ids, got {value!r}")
            for flag in value:
                if flag not in vocab.red_flags:
                    known = ", ".join(vocab.red_flags)
                    raise InvalidPatientError(field + key, f"unknown red flag {flag!r}; known: {known}")
                facts.append(Fact(key, flag, NamedNode(vocab.red_flag_property), NamedNode(vocab.red_flags[flag])))
        elif key == "sins":
            options, _level = parse_sins(value, vocab.kg.compiled, field + "sins")
            for component, option in options.items():
                term = NamedNode(vocab.sins_options[(component, option)])
                facts.append(Fact(f"sins.{component}", option, NamedNode(vocab.sins_property), term))
        else:
            known = ", ".join([*vocab.booleans, *vocab.choices, "red_flags", "sins"])
            raise InvalidPatientError(field + key, f"unknown fact; known facts: {known}")
    return facts


def _class_axioms(name: str, facts: Sequence[Fact]) -> list[pyoxigraph.Triple]:
    """Class ``name`` ⊑ vcf:PatientDescription, and ⊑ (property value v) for every fact."""
    from pyoxigraph import BlankNode, NamedNode, Triple

    cls = NamedNode(name)
    subclass_of = NamedNode(RDFS + "subClassOf")
    triples = [
        Triple(cls, NamedNode(RDF + "type"), NamedNode(OWL + "Class")),
        Triple(cls, subclass_of, NamedNode(VCF_IRI + "PatientDescription")),
    ]
    for fact in facts:
        restriction = BlankNode()
        triples += [
            Triple(restriction, NamedNode(RDF + "type"), NamedNode(OWL + "Restriction")),
            Triple(restriction, NamedNode(OWL + "onProperty"), fact.property),
            Triple(restriction, NamedNode(OWL + "hasValue"), fact.term),
            Triple(cls, subclass_of, restriction),
        ]
    return triples


def _java() -> str:
    import owlready2

    java = shutil.which(owlready2.JAVA_EXE)
    if java is None:
        raise ReasonerError(
            f"Java not found ({owlready2.JAVA_EXE!r} is not on PATH): OWL classification runs the HermiT reasoner, "
            "which needs a Java runtime (e.g. Debian's default-jre-headless)"
        )
    return str(java)


class Hierarchy(NamedTuple):
    """What HermiT found: each class's direct superclasses, and the unsatisfiable classes."""

    parents: dict[str, set[str]]
    unsatisfiable: set[str]

    @classmethod
    def parse(cls, output: str) -> Hierarchy:
        """Read HermiT's printed class hierarchy (functional syntax, direct subsumptions only)."""
        hierarchy = cls({}, set())
        for relation, names in HERMIT_LINE.findall(output):
            members = [name[1:-1] for name in names.split()]
            if relation == "SubClassOf":
                hierarchy.parents.setdefault(members[0], set()).add(members[1])
            elif OWL + "Nothing" in members:
                hierarchy.unsatisfiable.update(members)
            else:
                for member in members:
                    hierarchy.parents.setdefault(member, set()).update(m for m in members if m != member)
        return hierarchy

    def ancestors(self, name: str) -> set[str]:
        """Every superclass of ``name``, direct or not."""
        seen: set[str] = set()
        todo = [name]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen


def hermit_classify(classes: Mapping[str, Sequence[Fact]], vocab: Vocabulary | None = None) -> Hierarchy:
    """Classify the ontology (``vocab``'s, default the shipped graph's) plus one class per entry of ``classes``
    (name -> its facts) in one HermiT run."""
    import owlready2
    import pyoxigraph

    java = _java()
    hermit = Path(owlready2.__file__).parent / "hermit"
    axioms = [triple for name, facts in classes.items() for triple in _class_axioms(name, facts)]
    with tempfile.TemporaryDirectory(prefix="vcfkg-hermit-") as folder:
        source = Path(folder) / "patients.nt"
        patients = pyoxigraph.serialize(axioms, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
        source.write_bytes((vocab or vocabulary()).ontology + patients)
        command = [
            java,
            f"-Xmx{owlready2.reasoning.JAVA_MEMORY}M",
            # A HermiT run lasts seconds: optimizing JIT compilation costs more than it gains there
            # (measured: 3,000 patients in 12 s instead of 20 s).
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            f"{hermit}:{hermit / 'HermiT.jar'}",
            "org.semanticweb.HermiT.cli.CommandLine",
            "-c",
            source.as_uri(),
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = " ".join((result.stderr or result.stdout).split())[:500]
        raise ReasonerError(f"HermiT failed (exit code {result.returncode}): {detail}")
    return Hierarchy.parse(result.stdout)


def _contradiction(facts: Sequence[Fact], field: str, vocab: Vocabulary) -> InvalidPatientError:
    """Name the facts behind an unsatisfiable patient: those whose removal alone makes it satisfiable."""
    probes = {f"urn:vcfkg:probe:{n}": [*facts[:n], *facts[n + 1 :]] for n in range(len(facts))}
    hierarchy = hermit_classify(probes, vocab)
    culprits = [facts[n] for n, name in enumerate(probes) if name not in hierarchy.unsatisfiable]
    if not culprits:
        return InvalidPatientError(field + "patient", "the facts contradict each other under the ontology's axioms")
    first, *others = culprits
    against = ", ".join(map(str, others)) if others else "the other facts given"
    return InvalidPatientError(field + first.key, f"{first.value} contradicts {against} under the ontology's axioms")


def classify_many(
    patients: Iterable[Mapping[str, object]], *, kg: KnowledgeGraph | None = None
) -> list[frozenset[int]]:
    """For each JSON-style patient, the numbers of the variants HermiT classifies it into, in one HermiT run.

    A patient maps fact keys (``symptomatic``, ``question``, ``etiology``, ...) to values and may hold a
    ``red_flags`` list and ``sins`` options. Absent facts are unknown. Identical patients are classified once.
    ``kg`` is the graph whose rules HermiT reasons with (default: the shipped graph).
    Raises :class:`InvalidPatientError` for the first bad or contradictory patient,
    naming it as ``patients[i]``, and :class:`ReasonerError` (an environment failure) when Java is missing.
    """
    vocab = vocabulary(kg)
    described = [patient_facts(patient, f"patients[{i}].", vocab=vocab) for i, patient in enumerate(patients)]
    if not described:
        return []
    keys = [frozenset((str(f.property), str(f.term)) for f in facts) for facts in described]
    names: dict[frozenset[tuple[str, str]], str] = {}
    classes: dict[str, list[Fact]] = {}
    for key, facts in zip(keys, described, strict=True):
        if key not in names:
            names[key] = f"urn:vcfkg:patient:{len(names)}"
            classes[names[key]] = facts
    hierarchy = hermit_classify(classes, vocab)
    variant_classes = vocab.variant_classes
    answers = []
    for i, (key, facts) in enumerate(zip(keys, described, strict=True)):
        if names[key] in hierarchy.unsatisfiable:
            raise _contradiction(facts, f"patients[{i}].", vocab)
        ancestors = hierarchy.ancestors(names[key])
        answers.append(frozenset(number for cls, number in variant_classes.items() if cls in ancestors))
    return answers


def classify(
    facts: Mapping[str, bool | str],
    red_flags: Iterable[str] = (),
    *,
    sins: Mapping[str, str] | None = None,
    kg: KnowledgeGraph | None = None,
) -> frozenset[int]:
    """The numbers of the variants HermiT classifies one patient into (``vcfkg classify``).

    ``facts`` maps fact keys to values (absent = unknown, ``False`` = known false); ``red_flags`` are red-flag
    ids; ``sins`` SINS options (``{"pain": "mechanical"}``); ``kg`` as for :func:`classify_many`.
    Raises :class:`InvalidPatientError` naming the field for a bad or contradictory patient, and
    :class:`ReasonerError` (an environment failure) when Java is missing.
    """
    if "red_flags" in facts:
        raise InvalidPatientError("red_flags", "give red flags as the red_flags argument, not among the facts")
    patient: dict[str, object] = {**facts, "red_flags": list(red_flags)}
    if sins is not None:
        patient["sins"] = dict(sins)
    try:
        return classify_many([patient], kg=kg)[0]
    except InvalidPatientError as error:
        raise InvalidPatientError(error.field.removeprefix("patients[0]."), error.problem) from None
