"""The compiled vocabulary: everything the recommendation path needs, read from the graph by SPARQL once.

``compile_graph(engine)`` runs the queries in ``queries/vocabulary/`` and the variant queries and keeps the
answers as plain Python data, so that ``recommend`` answers in microseconds without a query. The vocabulary is
derived from the graph only; :mod:`vcfkg.cache` stores it keyed by the graph's content hash.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from vcfkg import derivation, queries
from vcfkg.codesystems import procedure_codes
from vcfkg.derivation import Derivation, Rules
from vcfkg.engines import Engine
from vcfkg.errors import GraphLoadError
from vcfkg.measurements import Threshold
from vcfkg.models import Criterion, RatedProcedure, RedFlagHit, Requirement, SinsComponentScore, Variant
from vcfkg.namespace import ONTOLOGY_IRI

FORMAT_VERSION = 7  # bump whenever compile_graph changes what it reads
VARIANTS = 9  # the guideline's clinical variants, numbered 1 to 9: part of what makes a graph vcfkg's


class Compiled(NamedTuple):
    """The compiled vocabulary: everything the recommendation needs, read from the graph, as plain data."""

    version: str  # the ontology's owl:versionInfo
    variants: tuple[Variant, ...]
    fact_properties: dict[str, str]  # JSON key -> property IRI
    boolean_facts: frozenset[str]
    object_facts: dict[str, dict[str, str]]  # JSON key -> allowed value id -> individual IRI
    class_truth: dict[tuple[str, str], bool]  # (required class IRI, value id) -> truth (absent: unknown)
    red_flags: dict[str, RedFlagHit]
    sins_options: dict[str, dict[str, SinsComponentScore]]  # component -> option -> score
    sins_levels: dict[str, str]  # vertebral level -> location option
    sins_classes: tuple[tuple[str, int, int], ...]
    derivations: Rules  # queries/vocabulary/derivations.rq
    notice: str = ""  # the line every answer a person reads ends with (ontology header)
    deformity_thresholds: tuple[Threshold, ...] = ()  # queries/vocabulary/deformity_thresholds.rq

    def variant(self, number: int) -> Variant | None:
        """The variant with this number, or None."""
        return self.variants[number - 1] if 1 <= number <= len(self.variants) else None

    def to_json(self) -> dict[str, Any]:
        """The compiled vocabulary as JSON, for the cache."""
        return {
            "format": FORMAT_VERSION,
            "version": self.version,
            "variants": [
                {
                    "number": v.number,
                    "title": v.title,
                    "question": v.question,
                    "highlights": v.highlights,
                    "source_section": v.source_section,
                    "criteria": [
                        {
                            "order": c.order,
                            "text": c.text,
                            "requirements": [[r.key, r.value, r.required_class] for r in c.requirements],
                        }
                        for c in v.criteria
                    ],
                    "ratings": [
                        [
                            r.order,
                            r.procedure,
                            r.procedure_id,
                            r.category,
                            list(r.rating_range),
                            list(r.codes),
                            r.rationale,
                            r.source_section,
                        ]
                        for r in v.ratings
                    ],
                }
                for v in self.variants
            ],
            "fact_properties": self.fact_properties,
            "boolean_facts": sorted(self.boolean_facts),
            "object_facts": self.object_facts,
            "class_truth": [[cls, value, truth] for (cls, value), truth in self.class_truth.items()],
            "red_flags": [[f.flag, f.label, f.condition, f.condition_id, f.sign_of] for f in self.red_flags.values()],
            "sins_options": {
                component: [[option, s.label, s.points] for option, s in options.items()]
                for component, options in self.sins_options.items()
            },
            "sins_levels": self.sins_levels,
            "sins_classes": [list(c) for c in self.sins_classes],
            "derivations": [list(d) for d in self.derivations],
            "notice": self.notice,
            "deformity_thresholds": [list(t) for t in self.deformity_thresholds],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Compiled:
        """The compiled vocabulary from the cache's JSON; ValueError for another format."""
        if data.get("format") != FORMAT_VERSION:
            raise ValueError("the cached compiled vocabulary has another format")
        return cls(
            version=data["version"],
            variants=tuple(
                Variant(
                    number=v["number"],
                    title=v["title"],
                    question=v["question"],
                    highlights=v["highlights"],
                    source_section=v["source_section"],
                    criteria=tuple(
                        Criterion(c["order"], tuple(Requirement(*r) for r in c["requirements"]), c["text"])
                        for c in v["criteria"]
                    ),
                    ratings=tuple(
                        RatedProcedure(o, p, pid, cat, (rng[0], rng[1]), tuple(codes), why, section)
                        for o, p, pid, cat, rng, codes, why, section in v["ratings"]
                    ),
                )
                for v in data["variants"]
            ),
            fact_properties=data["fact_properties"],
            boolean_facts=frozenset(data["boolean_facts"]),
            object_facts=data["object_facts"],
            class_truth={(c, v): t for c, v, t in data["class_truth"]},
            red_flags={f[0]: RedFlagHit(*f) for f in data["red_flags"]},
            sins_options={
                component: {o: SinsComponentScore(o, label, pts) for o, label, pts in options}
                for component, options in data["sins_options"].items()
            },
            sins_levels=data["sins_levels"],
            sins_classes=tuple((c[0], c[1], c[2]) for c in data["sins_classes"]),
            derivations=Rules(Derivation(*d) for d in data["derivations"]),
            notice=data["notice"],
            deformity_thresholds=tuple(Threshold(*t) for t in data["deformity_thresholds"]),
        )


def read_criteria(engine: Engine) -> tuple[dict[tuple[str, str], bool], dict[int, tuple[Criterion, ...]]]:
    """The truth of each (required class, value id), and each variant's criteria in order with their texts, from
    ``queries/vocabulary/class_truth.rq`` and ``criteria.rq`` (both paths word criteria with this)."""
    class_truth: dict[tuple[str, str], bool] = {}
    satisfying: dict[str, list[str]] = {}
    for row in queries.select(engine, "vocabulary/class_truth"):
        truth = row["truth"] == "true"
        class_truth[(str(row["requiredClass"]), row["value"])] = truth
        if truth:
            satisfying.setdefault(str(row["requiredClass"]), []).append(row["value"])
    requirements: dict[int, dict[int, list[Requirement]]] = {}
    for row in queries.select(engine, "vocabulary/criteria"):
        required_class = str(row["requiredClass"]) if row["requiredClass"] is not None else None
        requirements.setdefault(row["number"], {}).setdefault(row["criterion"], []).append(
            Requirement(row["key"], row["requiredValue"], required_class)
        )
    criteria = {
        number: tuple(
            Criterion(order, tuple(reqs), " or ".join(_requirement_text(r, satisfying) for r in reqs))
            for order, reqs in sorted(by_order.items())
        )
        for number, by_order in requirements.items()
    }
    return class_truth, criteria


def _requirement_text(requirement: Requirement, satisfying: dict[str, list[str]]) -> str:
    if requirement.value is not None:
        return f"{requirement.key} is {'true' if requirement.value else 'false'}"
    values = satisfying.get(requirement.required_class or "", [])
    return f"{requirement.key} is {'/'.join(values) or requirement.required_class}"


def rated_procedure(row: dict[str, Any], codes: dict[str, tuple[str, ...]]) -> RatedProcedure:
    """A rated procedure from a row of ``variant_procedures.rq`` or ``recommend.rq``, with its order codes."""
    return RatedProcedure(
        order=row["order"],
        procedure=row["procedure"],
        procedure_id=row["procedureId"],
        category=row["category"],
        rating_range=(row["minRating"], row["maxRating"]),
        codes=codes.get(row["procedureId"], ()),
        rationale=row["rationale"],
        source_section=row["sourceSection"],
    )


def ratings_by_variant(
    engine: Engine, numbers: list[int], codes: dict[str, tuple[str, ...]]
) -> dict[int, tuple[RatedProcedure, ...]]:
    """The rated procedures of the variants with these numbers, in table order, from one ``variant_procedures.rq``."""
    ratings: dict[int, list[RatedProcedure]] = {}
    if numbers:
        for row in queries.select(engine, "variant_procedures", {"number": numbers}):
            ratings.setdefault(row["number"], []).append(rated_procedure(row, codes))
    return {number: tuple(found) for number, found in ratings.items()}


def check_identity(engine: Engine) -> str:
    """The graph's version, after checking the graph is vcfkg's; else :class:`GraphLoadError` naming what is missing.

    vcfkg's graph has the ontology header ``<https://w3id.org/vcfkg/ontology> a owl:Ontology`` with an
    ``owl:versionInfo``, and the guideline's clinical variants numbered 1 to 9.
    """
    rows = queries.select(engine, "vocabulary/graph_identity")
    headers = [row for row in rows if row["ontology"] == ONTOLOGY_IRI]
    if not headers:
        raise GraphLoadError(f"not the vcfkg graph: no ontology header <{ONTOLOGY_IRI}> a owl:Ontology")
    versions = sorted({str(row["version"]) for row in headers if row["version"] is not None})
    if len(versions) != 1:
        found = f"{len(versions)}: {', '.join(versions)}" if versions else "none"
        raise GraphLoadError(f"not the vcfkg graph: <{ONTOLOGY_IRI}> needs one owl:versionInfo, found {found}")
    variants = [row for row in rows if row["variant"] is not None]
    for row in variants:
        if not isinstance(row["number"], int) or isinstance(row["number"], bool):
            raise GraphLoadError(f"not the vcfkg graph: variant <{row['variant']}> has no whole vcf:variantNumber")
    numbers = sorted(row["number"] for row in variants)
    if numbers != list(range(1, VARIANTS + 1)):
        missing = sorted(set(range(1, VARIANTS + 1)) - set(numbers))
        problem = f"no variant {', '.join(map(str, missing))}" if missing else f"variant numbers {numbers}"
        raise GraphLoadError(f"not the vcfkg graph: expected variants numbered 1 to {VARIANTS}, {problem}")
    return versions[0]


def compile_graph(engine: Engine) -> Compiled:
    """Read criteria, ratings (with their order codes) and vocabularies from the graph into the compiled vocabulary.

    Raises :class:`GraphLoadError` when the graph is not vcfkg's (see :func:`check_identity`).
    """
    version = check_identity(engine)
    codes = procedure_codes(engine)
    facts = queries.select(engine, "vocabulary/patient_facts")
    fact_properties = {row["key"]: str(row["property"]) for row in facts}
    boolean_facts = frozenset(row["key"] for row in facts if row["valueType"] == "boolean")
    object_facts: dict[str, dict[str, str]] = {}
    for row in facts:
        if row["valueType"] == "individual":
            object_facts.setdefault(row["key"], {})[row["value"]] = str(row["valueIri"])

    class_truth, criteria = read_criteria(engine)
    variants = []
    rows = queries.select(engine, "variants")
    ratings_of = ratings_by_variant(engine, [row["number"] for row in rows], codes)
    for row in rows:
        number = row["number"]
        ratings = ratings_of.get(number, ())
        variant_criteria = criteria.get(number, ())
        variants.append(
            Variant(
                number=number,
                title=row["title"],
                question=row["question"],
                highlights=row["highlights"],
                source_section=row["sourceSection"],
                criteria=variant_criteria,
                ratings=ratings,
            )
        )
    if [v.number for v in variants] != list(range(1, VARIANTS + 1)):
        found = [v.number for v in variants]
        raise GraphLoadError(
            f"not the vcfkg graph: variants {sorted(set(range(1, VARIANTS + 1)) - set(found))} lack a title, "
            "question, highlights or source section"
        )

    red_flags = {
        row["flag"]: RedFlagHit(row["flag"], row["label"], row["condition"], row["conditionId"], row["signOf"])
        for row in queries.select(engine, "vocabulary/red_flags")
    }
    sins_options: dict[str, dict[str, SinsComponentScore]] = {}
    for row in queries.select(engine, "vocabulary/sins"):
        sins_options.setdefault(row["component"], {})[row["option"]] = SinsComponentScore(
            row["option"], row["optionLabel"], row["points"]
        )
    sins_levels = {row["level"]: row["location"] for row in queries.select(engine, "vocabulary/sins_levels")}
    sins_classes = tuple(
        (row["class"], row["minScore"], row["maxScore"]) for row in queries.select(engine, "vocabulary/sins_classes")
    )
    derivations, _rows = derivation.read(engine)
    notice = queries.select(engine, "vocabulary/notice")
    thresholds = tuple(
        Threshold(row["field"], float(row["threshold"]), row["fact"])
        for row in queries.select(engine, "vocabulary/deformity_thresholds")
    )
    return Compiled(
        version=version,
        variants=tuple(variants),
        fact_properties=fact_properties,
        boolean_facts=boolean_facts,
        object_facts=object_facts,
        class_truth=class_truth,
        red_flags=red_flags,
        sins_options=sins_options,
        sins_levels=sins_levels,
        sins_classes=sins_classes,
        derivations=derivations,
        notice=notice[0]["notice"] if notice else "",
        deformity_thresholds=thresholds,
    )
