"""The vcfkg API: a :class:`KnowledgeGraph` over one SPARQL engine, with a compiled fast path.

>>> from vcfkg import load
>>> kg = load()
>>> answer = kg.recommend({"question": "treatment", "symptomatic": False, "etiology": "osteoporotic"})
>>> [v.variant for v in answer.matched]
[5]
>>> answer.matched[0].procedures[0].procedure
'Medical management only'
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from vcfkg import matching, queries
from vcfkg import sins as sins_scoring
from vcfkg.compiled import Compiled, compile_graph, ratings_by_variant
from vcfkg.engines import IRI, Engine, OxigraphEngine, RdflibEngine, Row
from vcfkg.errors import GraphLoadError, InvalidArgumentError, InvalidPatientError, shown
from vcfkg.models import (
    CriterionTruth,
    Procedure,
    ProcedureRating,
    Recommendation,
    RedFlagHit,
    SinsResult,
    Variant,
    conflicts_of,
)
from vcfkg.patient import Patient, parse_patient, parse_sins

if TYPE_CHECKING:
    import rdflib

    from vcfkg.mappings import CodeLink, TermMappings

Method = Literal["compiled", "sparql"]
EngineChoice = Method  # the name before 0.2.0
Store = Literal["oxigraph", "rdflib"]
STORES: dict[str, type[OxigraphEngine] | type[RdflibEngine]] = {"oxigraph": OxigraphEngine, "rdflib": RdflibEngine}


class KnowledgeGraph:
    """The guideline graph behind one SPARQL engine (embedded pyoxigraph, rdflib, or a remote endpoint).

    It is the one door to the graph: every command that needs the graph (recommend, classify, validate with the
    graph, publish, RDF patients) takes a KnowledgeGraph, so ``--graph`` and ``--endpoint`` mean the same for all.
    ``compiled`` may be handed in (e.g. from the cache) so that nothing is queried until it is needed; the engine
    itself may also be created lazily through ``engine_factory``. ``source`` names the graph in error messages.
    """

    def __init__(
        self,
        engine: Engine | None = None,
        *,
        engine_factory: Callable[[], Engine] | None = None,
        compiled: Compiled | None = None,
        source: str = "graph",
    ) -> None:
        if engine is None and engine_factory is None:
            raise ValueError("give an engine or an engine_factory")
        self._engine = engine
        self._engine_factory = engine_factory
        self._compiled = compiled
        self._matcher: matching.Matcher | None = None
        self._sins_scorer: sins_scoring.Scorer | None = None
        self.source = source
        self._terms: matching.PatientTerms | None = None
        self._words: matching.VariantWords | None = None  # read on the SPARQL path
        self._codes: dict[str, tuple[str, ...]] | None = None  # procedure_codes.rq, read on the SPARQL path

    @property
    def engine(self) -> Engine:
        """The SPARQL engine holding the graph (created on first use when the compiled vocabulary was cached)."""
        if self._engine is None:
            assert self._engine_factory is not None
            self._engine = self._engine_factory()
        return self._engine

    @property
    def compiled(self) -> Compiled:
        """The compiled vocabulary: everything the recommendation needs, read from the graph by SPARQL on first use.

        Raises :class:`GraphLoadError` naming the source when the graph is not vcfkg's.
        """
        if self._compiled is None:
            self._compiled = self._compile()
        return self._compiled

    def _compile(self) -> Compiled:
        engine = self.engine  # a file that cannot be read is named by the engine
        try:
            return compile_graph(engine)
        except GraphLoadError as error:
            raise GraphLoadError(f"{self.source}: {error}") from None

    @property
    def version(self) -> str:
        """The graph's ``owl:versionInfo``."""
        return self.compiled.version

    def serialize(self) -> bytes:
        """Every triple of the graph as N-Triples: how the graph is handed to HermiT, pySHACL and ``publish``."""
        return self.engine.dump()

    # -- terminology ---------------------------------------------------------------------------------------
    def lookup(self, code: str) -> tuple[CodeLink, ...]:
        """The vcfkg terms linked to an external code (CURIE or IRI), with the ratings of a linked procedure."""
        from vcfkg import mappings

        return mappings.lookup(self.engine, code)

    def mappings(self, term: str | None = None) -> tuple[TermMappings, ...]:
        """A term's external codes (term as vcf:NAME, IRI, local name or identifier); all terms when None."""
        from vcfkg import mappings

        return mappings.mappings(self.engine, term)

    @property
    def matcher(self) -> matching.Matcher:
        """The criteria prepared for fast three-valued matching, with its memo of answers."""
        if self._matcher is None:
            self._matcher = matching.Matcher(self.compiled)
        return self._matcher

    @property
    def sins_scorer(self) -> sins_scoring.Scorer:
        """The SINS table prepared for scoring."""
        if self._sins_scorer is None:
            self._sins_scorer = sins_scoring.Scorer(self.compiled)
        return self._sins_scorer

    @property
    def notice(self) -> str:
        """The line every answer a person reads ends with: the guideline restated, not a medical device."""
        return self.compiled.notice

    # -- queries -------------------------------------------------------------------------------------------
    def query(self, name: str, /, *, use_example_values: bool = False, **params: object) -> list[Row]:
        """Run ``queries/<name>.rq`` with every parameter bound (see each file's header); a missing parameter is
        an error unless ``use_example_values=True`` asks for the values written in the file."""
        return queries.select(self.engine, name, params, use_example_values=use_example_values)

    # -- the guideline ---------------------------------------------------------------------------------------
    def variants(self) -> tuple[Variant, ...]:
        """The clinical variants in number order, each with its rated procedures."""
        return tuple(self.variant(v.number) for v in self.compiled.variants)

    def variant(self, number: int) -> Variant:
        """One clinical variant with its rated procedures in printed order."""
        if isinstance(number, bool) or not isinstance(number, int):
            raise InvalidArgumentError(f"variant: must be a whole number, got {number!r}")
        entry = self.compiled.variant(number)
        if entry is None:
            raise InvalidArgumentError(
                f"variant: no variant {number}; the guideline has variants 1 to {len(self.compiled.variants)}"
            )
        return entry

    def procedures(self) -> tuple[Procedure, ...]:
        """Every rated procedure with its facets and the variants that rate it."""
        procedures: dict[str, Procedure] = {}
        for row in self.query("procedures"):
            rating = ProcedureRating(row["number"], row["category"])
            known = procedures.get(row["procedureId"])
            if known is None:
                procedures[row["procedureId"]] = Procedure(
                    procedure_id=row["procedureId"],
                    name=row["procedure"],
                    kind=row["kind"],
                    image_guided_intervention=row["intervention"],
                    modality=row["modality"],
                    contrast=row["contrast"],
                    coverage=row["coverage"],
                    ratings=(rating,),
                )
            else:
                procedures[row["procedureId"]] = known._replace(ratings=(*known.ratings, rating))
        return tuple(procedures.values())

    # -- patients -----------------------------------------------------------------------------------------
    def parse_patient(self, data: object) -> Patient:
        """Validate a decoded JSON patient description (raises :class:`InvalidPatientError`).

        Findings given as codes (``"codes": ["snomedct:266987004"]``) are translated to facts through the graph's
        exact and close links first; a code that gives no fact, or contradicts a fact given as a key, is an error.
        """
        if (type(data) is dict or isinstance(data, Mapping)) and data.get("codes") is not None:
            data = self._with_code_facts(data)
        return parse_patient(data, self.compiled)

    def _with_code_facts(self, data: Mapping[object, object]) -> dict[object, object]:
        from vcfkg import mappings

        merged = {key: value for key, value in data.items() if key != "codes"}
        for fact in mappings.translate_codes(self.engine, data["codes"]):
            given = merged.get(fact.key)
            if fact.many:
                if given is None:
                    merged[fact.key] = [fact.value]
                elif isinstance(given, list) and fact.value not in given:
                    merged[fact.key] = [*given, fact.value]
            elif given is not None and type(given) is not type(fact.value):
                continue  # an ill-typed value (malignancy_history: 1): parse_patient reports it
            elif merged.get(fact.key, fact.value) != fact.value:
                raise InvalidPatientError(
                    "codes",
                    f"{fact.code} gives {fact.key} {_json(fact.value)}, but {fact.key} is {_json(merged[fact.key])}",
                )
            else:
                merged[fact.key] = fact.value
        return merged

    def recommend(
        self,
        patient: Mapping[str, object] | Patient,
        *,
        method: Method = "compiled",
        explain: bool = False,
        engine: Method | None = None,
    ) -> Recommendation:
        """Matching variants with their procedures, possible variants with missing facts, excluded ones.

        ``method`` is the evaluation path: ``"compiled"`` (the compiled vocabulary, microseconds) or ``"sparql"``
        (queries over the store); both give the same answer. ``engine=`` is the deprecated spelling of ``method=``.
        """
        if engine is not None:
            method = _deprecated_method(engine)
        compiled = self.compiled
        if not isinstance(patient, Patient):
            patient = self.parse_patient(patient)
        if method == "sparql":
            return self._recommend_sparql(patient, explain=explain)
        if method != "compiled":
            raise InvalidArgumentError(f"method: must be 'compiled' or 'sparql', got {method!r}")
        table = self.matcher
        if explain:
            matched, possible, excluded = table.build(
                table.match(patient.facts, patient.derived_from), facts=patient.facts
            )
            conflicts = conflicts_of(matched)
        else:
            matched, possible, excluded = table.answer(patient.facts, patient.derived_from)
            conflicts = table.conflicts(matched)
        red_flags: tuple[RedFlagHit, ...] = ()
        if patient.red_flags:
            flags = set(patient.red_flags)
            red_flags = tuple(hit for flag, hit in compiled.red_flags.items() if flag in flags)
        sins = self.sins_scorer.score(patient.sins, patient.sins_level) if patient.sins is not None else None
        return Recommendation(matched, possible, excluded, red_flags, sins, conflicts, compiled.notice)

    def _recommend_sparql(self, patient: Patient, *, explain: bool) -> Recommendation:
        """The SPARQL path: statuses, truths, values, reasons, titles, questions, criterion texts, procedures, codes,
        red flags, SINS and the notice are query answers over the store. The patient is bound as given;
        ``derived_facts.rq`` adds the derived facts, whose rows ``match_facts.rq`` takes (together they are
        ``match_variants.rq``). Python groups the rows and words them with the compiled path's code."""
        from vcfkg.codesystems import procedure_codes

        given = self._given_values(patient)
        derived = self.query("derived_facts", patient=given)
        facts = [(row["fact"], row["value"], row["derivedFrom"]) for row in derived]
        variants = matching.match_rows(self.query("match_facts", facts=facts), _measured(patient))
        if self._codes is None and any(v.match.status == "matched" for v in variants):
            self._codes = procedure_codes(self.engine)
        codes = self._codes or {}
        words = self._variant_words()
        matched_numbers = [v.match.number for v in variants if v.match.status == "matched"]
        ratings_of = ratings_by_variant(self.engine, matched_numbers, codes)
        results = []
        for variant in variants:
            number = variant.match.number
            ratings = ratings_of.get(number, ())
            criteria: tuple[CriterionTruth, ...] = ()
            if explain:
                texts = (criterion.text for criterion in words.criteria[number])
                criteria = tuple(
                    CriterionTruth(text, truth) for text, truth in zip(texts, variant.criteria, strict=True)
                )
            results.append(
                matching.variant_result(variant.match, variant.title, words.questions[number], ratings, criteria)
            )
        matched, possible, excluded = matching.grouped(tuple(v.match for v in variants), results)
        terms = self._patient_terms()
        flags = [terms.red_flag_ids[row["value"]] for row in derived if row["fact"] == terms.red_flag_property]
        red_flags = tuple(
            RedFlagHit(row["flag"], row["label"], row["condition"], row["conditionId"], row["signOf"])
            for row in (self.query("red_flag_conditions", flag=flags) if flags else ())
        )
        return Recommendation(
            matched=matched,
            possible=possible,
            excluded=excluded,
            red_flags=red_flags,
            sins=self._sparql_sins(patient.sins, patient.sins_level) if patient.sins is not None else None,
            conflicts=conflicts_of(matched),
            notice=words.notice,
        )

    def _sparql_sins(self, options: Mapping[str, str], level: str | None) -> SinsResult:
        """SINS as ``queries/sins_score.rq`` and ``queries/vocabulary/sins.rq`` answer it."""
        [score] = self.query("sins_score", options=list(options.items()))
        return sins_scoring.from_rows(options, level, self.query("vocabulary/sins"), score)

    def _variant_words(self) -> matching.VariantWords:
        if self._words is None:
            self._words = matching.VariantWords.read(self.engine)
        return self._words

    def _patient_terms(self) -> matching.PatientTerms:
        if self._terms is None:
            self._terms = matching.PatientTerms.read(self.engine)
        return self._terms

    def _given_values(self, patient: Patient) -> list[tuple[IRI, object]]:
        """The facts the patient gave (not those derived), red flags and SINS options, as rows of the ``patient``
        parameter of ``derived_facts.rq`` (and of ``match_variants.rq``)."""
        terms = self._patient_terms()
        measured = _measured(patient)
        given = {k: v for k, v in patient.facts.items() if k not in patient.derived_from or k in measured}
        rows: list[tuple[IRI, object]] = list(matching.patient_values(self.compiled, given))
        rows += [(terms.red_flag_property, terms.red_flags[flag]) for flag in patient.red_flags]
        for component, option in (patient.sins or {}).items():
            rows.append((terms.sins_property, terms.sins_options[(component, option)]))
        return rows

    def recommend_many(
        self, patients: Iterable[object], *, method: Method = "compiled", engine: Method | None = None
    ) -> Iterator[Recommendation | InvalidPatientError]:
        """One answer per patient, in order; an invalid patient yields its error instead of stopping."""
        if engine is not None:
            method = _deprecated_method(engine)
        for data in patients:
            try:
                yield self.recommend(data if isinstance(data, Patient) else self.parse_patient(data), method=method)
            except InvalidPatientError as error:
                yield error

    def classify(self, patient: Mapping[str, object] | Patient) -> frozenset[int]:
        """The numbers of the variants HermiT classifies the patient into, over this graph (needs Java)."""
        from vcfkg import reasoning

        if not isinstance(patient, Patient):
            patient = self.parse_patient(patient)
        return reasoning.classify(patient.facts, patient.red_flags, sins=patient.sins, kg=self)

    def sins(self, options: Mapping[str, str] | None = None, **components: str) -> SinsResult:
        """SINS from component options (``location`` or ``level``, ``pain``, ``bone_lesion``, ...).

        >>> load().sins(level="T12", pain="mechanical", bone_lesion="lytic", alignment="normal",
        ...             collapse="lt50", posterolateral="none").score
        10
        """
        valid, level = parse_sins({**(options or {}), **components}, self.compiled)
        return self.sins_scorer.score(valid, level)

    def red_flags(self, flags: Iterable[str]) -> tuple[RedFlagHit, ...]:
        """The potential underlying condition each red flag points to (Appendix 1)."""
        hits = []
        if isinstance(flags, str | bytes) or not isinstance(flags, Iterable):
            raise InvalidPatientError("red_flags", f"must be a list of red-flag ids, got {shown(flags)}")
        for index, flag in enumerate(flags):
            if not isinstance(flag, str) or flag not in self.compiled.red_flags:
                known = ", ".join(self.compiled.red_flags)
                raise InvalidPatientError(f"red_flags[{index}]", f"unknown red flag {shown(flag)}; known: {known}")
            hits.append(self.compiled.red_flags[flag])
        return tuple(hits)


def _deprecated_method(engine: Method) -> Method:
    warnings.warn("recommend(engine=...) is now recommend(method=...)", DeprecationWarning, stacklevel=3)
    return engine


def _measured(patient: Patient) -> dict[str, str]:
    """The facts derived from measurements (numbers the queries do not take), with the measurement each came from:
    the SPARQL path binds them as given and names their source when it words a reason."""
    from vcfkg.measurements import FIELD

    return {key: source for key, source in patient.derived_from.items() if source.startswith(FIELD)}


def _json(value: object) -> str:
    import json

    return json.dumps(value)


def load(
    path: str | Path | None = None,
    *,
    store: Store = "oxigraph",
    graph: rdflib.Graph | None = None,
    check: bool = True,
    engine: Store | None = None,
) -> KnowledgeGraph:
    """The guideline graph in an embedded store: the shipped graph by default, or ``path``, or an rdflib Graph.

    ``store`` is the embedded SPARQL store, ``"oxigraph"`` or ``"rdflib"`` (``engine=`` is its deprecated name).
    The compiled vocabulary comes from the cache keyed by the file's content, so the file itself is only parsed
    when a query needs it. The content is checked to be vcfkg's graph (ontology header, version, variants 1 to 9):
    otherwise :class:`GraphLoadError` names what is missing, and nothing is cached. ``check=False`` leaves the
    check (and the compiled vocabulary) to the first question that needs them, for ``validate``: SHACL reports
    what is wrong with a graph in more detail than the check.
    """
    if engine is not None:
        warnings.warn("load(engine=...) is now load(store=...)", DeprecationWarning, stacklevel=2)
        store = engine
    if graph is not None:
        kg = KnowledgeGraph(RdflibEngine(graph), source="rdflib graph")
        if check:
            kg.compiled  # noqa: B018  # check it is vcfkg's graph now, not at the first question
        return kg
    if store not in STORES:
        raise InvalidArgumentError(f"store: must be 'oxigraph' or 'rdflib', got {store!r}")
    from vcfkg import cache
    from vcfkg.resources import ontology_path

    source = Path(path) if path is not None else ontology_path()
    if "\x00" in str(source):
        raise GraphLoadError(f"{str(source)!r}: not a file name (it contains a NUL byte)")
    factory: Callable[[], Engine] = lambda: STORES[store].from_files([source])  # noqa: E731
    kg = KnowledgeGraph(engine_factory=factory, source=str(source))
    if check:
        kg._compiled = cache.load_or_compile(source, kg._compile)
    return kg


@lru_cache(maxsize=1)
def default_graph() -> KnowledgeGraph:
    """The shipped graph, loaded once per process: what the functions that take ``kg=None`` use."""
    return load()


def connect(url: str, *, timeout: float = 30.0, graph: str | None = None) -> KnowledgeGraph:
    """The guideline graph on a remote SPARQL 1.1 query endpoint (read-only), e.g. after ``vcfkg publish``.

    ``graph`` is the named graph holding vcfkg (default: the one ``publish`` writes); the endpoint is checked
    to hold it at the version this vcfkg ships, so a missing or stale graph is an
    :class:`~vcfkg.errors.EndpointError`, never an empty answer.
    """
    from vcfkg import remote

    expected = default_graph().version
    engine = (
        remote.connect(url, timeout=timeout, expected_version=expected)
        if graph is None
        else remote.connect(url, graph=graph, timeout=timeout, expected_version=expected)
    )
    return KnowledgeGraph(engine, source=url)
