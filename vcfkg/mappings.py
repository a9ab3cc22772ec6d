"""Terminology links: vcfkg terms to SNOMED CT, RadLex, LOINC, RadLex Playbook and RadElement codes.

The links are kept in ``mappings/vcfkg.sssom.tsv`` (an SSSOM mapping set with the evidence of every row, and the
terms that have no code) and, as the same SKOS mapping triples, in the graph; the functions here ask the graph
through an :class:`~vcfkg.engines.Engine`, so they work on every engine and on a remote endpoint.

Codes are read as CURIEs, case-insensitive on the prefix and with common synonyms (``SNOMEDCT:42942008``,
``SCTID:42942008``, ``LNC:36531-2``), or as IRIs (also the BioPortal, RSNA and ``http://loinc.org/rdf/`` forms).
Answers use one canonical CURIE per system: the bioregistry prefixes ``snomedct``, ``radlex`` and ``loinc``, and
the local prefixes ``rpid`` (RadLex Playbook) and ``radelement`` (RadElement CDE sets). SNOMED CT and LOINC codes
are checked against their check digit, so a mistyped code is reported as such instead of as "not linked".

Direction follows SKOS: ``term skos:broadMatch code`` means the code is broader than the term. Only exact and
close matches are used where a code must stand for a term: as a procedure's order codes, and when a patient's
findings are given as codes.
"""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vcfkg import queries
from vcfkg.codesystems import BY_PREFIX, SYSTEMS
from vcfkg.codesystems import curie as _curie
from vcfkg.engines import IRI, Engine, Row
from vcfkg.errors import (
    InvalidArgumentError,
    InvalidCodeError,
    InvalidPatientError,
    MissingExtraError,
    UnknownTermError,
)
from vcfkg.models import ProcedureRating
from vcfkg.namespace import SKOS
from vcfkg.namespace import VCF_IRI as VCF
from vcfkg.resources import mappings_dir

if TYPE_CHECKING:
    import curies

# The SKOS mapping predicates, strongest first (the order answers are sorted in).
PREDICATES = ("exactMatch", "closeMatch", "narrowMatch", "broadMatch", "relatedMatch")
MAPPING_SET = "vcfkg.sssom.tsv"
Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Code:
    """An external code in canonical form."""

    curie: str
    iri: str


@dataclass(frozen=True, slots=True)
class CodeLink:
    """One link from a vcfkg term to a code (read: ``term predicate code``); ratings are for rated procedures."""

    code: str
    code_iri: str
    predicate: str
    term: str
    term_iri: str
    label: str
    identifier: str | None
    ratings: tuple[ProcedureRating, ...] = ()

    def to_json(self) -> Json:
        """The public JSON shape."""
        return {
            "code": self.code,
            "code_iri": self.code_iri,
            "predicate": self.predicate,
            "term": self.term,
            "term_iri": self.term_iri,
            "label": self.label,
            "id": self.identifier,
            "ratings": [rating.to_json() for rating in self.ratings],
        }


@dataclass(frozen=True, slots=True)
class ExternalCode:
    """A code linked to a term, with the SKOS predicate of the link."""

    code: str
    code_iri: str
    predicate: str

    def to_json(self) -> Json:
        """The public JSON shape."""
        return {"code": self.code, "code_iri": self.code_iri, "predicate": self.predicate}


@dataclass(frozen=True, slots=True)
class TermMappings:
    """A vcfkg term and its external codes (empty when none was verified; the SSSOM file says why)."""

    term: str
    term_iri: str
    label: str
    identifier: str | None
    codes: tuple[ExternalCode, ...]

    def to_json(self) -> Json:
        """The public JSON shape."""
        return {
            "term": self.term,
            "term_iri": self.term_iri,
            "label": self.label,
            "id": self.identifier,
            "codes": [code.to_json() for code in self.codes],
        }


@dataclass(frozen=True, slots=True)
class CodeFact:
    """A patient fact given by a code: ``key`` is the patient JSON key, ``value`` true or a value identifier."""

    code: str
    key: str
    value: bool | str
    many: bool  # the key holds a list (red_flags)
    term: str
    predicate: str

    def to_json(self) -> Json:
        """The public JSON shape."""
        return {
            "code": self.code,
            "key": self.key,
            "value": self.value,
            "term": self.term,
            "predicate": self.predicate,
        }


# -- codes -----------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _converter() -> curies.Converter:
    import curies

    return curies.Converter.from_extended_prefix_map(
        [
            {
                "prefix": system.prefix,
                "uri_prefix": system.uri_prefix,
                "prefix_synonyms": list(system.synonyms),
                "uri_prefix_synonyms": list(system.uri_synonyms),
            }
            for system in SYSTEMS
        ]
    )


# Verhoeff's dihedral check, which SNOMED CT uses for the last digit of every SCTID.
_DIHEDRAL = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_PERMUTATION: list[tuple[int, ...]] = [(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)]
for _ in range(6):
    _PERMUTATION.append(tuple(_PERMUTATION[-1][_PERMUTATION[1][digit]] for digit in range(10)))


def _sctid_problem(sctid: str) -> str | None:
    check = 0
    for position, digit in enumerate(reversed(sctid)):
        check = _DIHEDRAL[check][_PERMUTATION[position % 8][int(digit)]]
    if check:
        return "its check digit is wrong (Verhoeff), so it is not an SCTID; is it mistyped?"
    if sctid[-3:-1] not in ("00", "10"):
        return f"it is a SNOMED CT description or relationship id (partition {sctid[-3:-1]}), not a concept id"
    return None


def _loinc_problem(code: str) -> str | None:
    body, _, check = code.partition("-")
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit // 10 + digit % 10
    if (10 - total % 10) % 10 != int(check):
        return "its check digit is wrong (LOINC mod 10), so it is not a LOINC code; is it mistyped?"
    return None


_CHECKS = {"snomedct": _sctid_problem, "loinc": _loinc_problem}


def _known() -> str:
    return "; ".join(
        f"{s.prefix} ({s.name}{', also ' + ', '.join(p.upper() for p in s.synonyms) if s.synonyms else ''}: "
        f"{s.uri_prefix}...)"
        for s in SYSTEMS
    )


def parse_code(text: object) -> Code:
    """A code given as a CURIE or IRI, checked and in canonical form (raises :class:`InvalidCodeError`)."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidCodeError(f"code: expected a CURIE such as snomedct:42942008 or an IRI, got {text!r}")
    given = text.strip()
    converter = _converter()
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", given):
        curie = converter.compress(given.rstrip("/"))
        if curie is None and given.startswith(VCF):
            raise InvalidCodeError(f"code {given!r}: this is a vcfkg term, not an external code; ask for its mappings")
        if curie is None:
            raise InvalidCodeError(f"code {given!r}: not an IRI of a code system vcfkg links to; known: {_known()}")
        prefix, _, local = curie.partition(":")
    else:
        prefix, colon, local = given.partition(":")
        if not colon or not prefix or not local:
            raise InvalidCodeError(f"code {given!r}: expected PREFIX:ID (e.g. snomedct:42942008) or an IRI")
        canonical = converter.standardize_prefix(prefix.casefold())
        if canonical is None and prefix == "vcf":
            raise InvalidCodeError(f"code {given!r}: this is a vcfkg term, not an external code; ask for its mappings")
        if canonical is None:
            raise InvalidCodeError(f"code {given!r}: unknown prefix {prefix!r}; known: {_known()}")
        prefix = canonical
    system = BY_PREFIX[prefix]
    if not re.fullmatch(system.local_id, local, flags=re.IGNORECASE):
        raise InvalidCodeError(f"code {given!r}: {local!r} is not a {system.name} id (such as {system.example})")
    local = local.upper()  # RID/RPID/RDES ids in any case; digits are unchanged
    check = _CHECKS.get(prefix)
    problem = check(local) if check is not None else None
    if problem:
        raise InvalidCodeError(f"code {given!r}: {problem}")
    return Code(f"{prefix}:{local}", system.uri_prefix + local)


def _term_curie(iri: str) -> str:
    return "vcf:" + iri[len(VCF) :] if iri.startswith(VCF) else iri


def _predicate(iri: str) -> str:
    return "skos:" + iri[len(SKOS) :]


def _rank(predicate_iri: str) -> int:
    return PREDICATES.index(predicate_iri[len(SKOS) :])


# -- lookups ---------------------------------------------------------------------------------------------


def lookup(engine: Engine, code: str) -> tuple[CodeLink, ...]:
    """The vcfkg terms linked to a code, strongest link first; empty if the code is valid but not linked."""
    parsed = parse_code(code)
    links: dict[tuple[str, str], CodeLink] = {}
    ratings: dict[tuple[str, str], list[ProcedureRating]] = {}
    for row in queries.select(engine, "lookup_by_code", {"code": IRI(parsed.iri)}):
        key = (row["term"], row["predicate"])
        if key not in links:
            links[key] = CodeLink(
                parsed.curie,
                parsed.iri,
                _predicate(row["predicate"]),
                _term_curie(row["term"]),
                str(row["term"]),
                row["termLabel"],
                row["termId"],
            )
            ratings[key] = []
        if row["variant"] is not None:
            ratings[key].append(ProcedureRating(row["variant"], row["category"]))
    ordered = sorted(links, key=lambda key: (_rank(key[1]), key[0]))
    return tuple(replace(links[key], ratings=tuple(sorted(ratings[key], key=lambda r: r.variant))) for key in ordered)


def _term_candidates(term: str) -> tuple[list[IRI], list[str]]:
    """The IRIs and identifiers a user's name for a term can mean."""
    if not isinstance(term, str) or not term.strip():
        raise InvalidArgumentError(f"term: expected a vcfkg term (vcf:name, IRI, name or identifier), got {term!r}")
    name = term.strip()
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", name):
        return [IRI(name)], []
    prefix, colon, local = name.partition(":")
    if colon:
        if prefix != "vcf" or not local:
            raise UnknownTermError(
                f"term {name!r}: not a vcfkg term; give vcf:NAME, a full IRI, a local name or an identifier "
                "(to find the terms linked to a code, use lookup)"
            )
        return [IRI(VCF + local)], []
    return [IRI(VCF + name)], [name]


def _term_mappings(rows: Iterable[Row]) -> list[TermMappings]:
    by_term: dict[str, tuple[Row, list[ExternalCode]]] = {}
    for row in rows:
        entry = by_term.setdefault(row["term"], (row, []))
        if row["code"] is not None:
            entry[1].append(ExternalCode(_curie(row["code"]), str(row["code"]), _predicate(row["predicate"])))
    return [
        TermMappings(
            _term_curie(term),
            str(term),
            row["termLabel"],
            row["termId"],
            tuple(sorted(set(codes), key=lambda c: (PREDICATES.index(c.predicate[5:]), c.code))),
        )
        for term, (row, codes) in sorted(by_term.items())
    ]


def mappings(engine: Engine, term: str | None = None) -> tuple[TermMappings, ...]:
    """A term's external codes (term as vcf:NAME, IRI, local name or identifier), or all linked terms' codes."""
    if term is None:
        return tuple(_term_mappings(queries.select(engine, "all_mappings")))
    iris, identifiers = _term_candidates(term)
    found = _term_mappings(queries.select(engine, "mappings_of_term", {"term": iris, "identifier": identifiers}))
    if not found:
        raise UnknownTermError(f"term {term!r}: no vcfkg term has this name, IRI or identifier")
    if len(found) > 1:
        raise InvalidArgumentError(
            f"term {term!r} is ambiguous: it names {', '.join(t.term for t in found)}; give one as vcf:NAME"
        )
    return tuple(found)


# -- patient findings given as codes ---------------------------------------------------------------------


def translate_codes(engine: Engine, codes: object, field: str = "codes") -> tuple[CodeFact, ...]:
    """The patient facts that a patient description's codes stand for (exact and close matches only).

    Every code must give at least one fact; a malformed, unlinked or only loosely linked code, or two codes that
    give different values of a one-valued fact (e.g. two etiologies), raise :class:`InvalidPatientError` naming
    the code's place in ``field``.
    """
    if not isinstance(codes, list | tuple):
        raise InvalidPatientError(field, f"must be an array of code strings, got {type(codes).__name__}")
    parsed: dict[str, tuple[int, Code]] = {}  # by IRI, first place given: repeated codes are read once
    seen: set[str] = set()
    for index, text in enumerate(codes):
        if isinstance(text, str):
            if text in seen:
                continue
            seen.add(text)
        try:
            code = parse_code(text)
        except InvalidCodeError as error:
            raise InvalidPatientError(f"{field}[{index}]", str(error)) from None
        parsed.setdefault(code.iri, (index, code))
    if not parsed:
        return ()
    rows = queries.select(engine, "facts_of_codes", {"code": [IRI(iri) for iri in parsed]})
    by_code: dict[str, list[CodeFact]] = {}
    for r in rows:
        given = parsed.get(str(r["code"]))
        if given is not None:
            by_code.setdefault(given[1].iri, []).append(
                CodeFact(
                    given[1].curie,
                    r["key"],
                    r["value"],
                    not r["functional"],
                    _term_curie(r["term"]),
                    _predicate(r["predicate"]),
                )
            )
    facts: dict[CodeFact, None] = {}
    for iri, (index, code) in parsed.items():
        if iri not in by_code:
            raise InvalidPatientError(f"{field}[{index}]", _not_a_fact(engine, code))
        facts.update(dict.fromkeys(by_code[iri]))
    values: dict[str, CodeFact] = {}
    for fact in facts:
        other = values.setdefault(fact.key, fact)
        if not fact.many and other.value != fact.value:
            raise InvalidPatientError(
                field,
                f"{other.code} gives {fact.key} {other.value!r} but {fact.code} gives {fact.value!r}",
            )
    return tuple(facts)


def _not_a_fact(engine: Engine, code: Code) -> str:
    links = lookup(engine, code.curie)
    if not links:
        return f"no vcfkg term is linked to {code.curie}"
    linked = ", ".join(f"{link.term} ({link.predicate})" for link in links)
    return (
        f"{code.curie} does not give a patient fact: it is linked to {linked}; only skos:exactMatch and "
        "skos:closeMatch links to patient facts, red flags and etiologies translate"
    )


def patient_json(facts: Sequence[CodeFact]) -> Json:
    """The facts as patient-description JSON (one-valued keys get their value, list keys a list)."""
    data: Json = {}
    for fact in facts:
        if fact.many:
            data.setdefault(fact.key, [])
            if fact.value not in data[fact.key]:
                data[fact.key].append(fact.value)
        else:
            data[fact.key] = fact.value
    return data


# -- export ----------------------------------------------------------------------------------------------


def mapping_set_path() -> Path:
    """The shipped SSSOM mapping set, ``mappings/vcfkg.sssom.tsv``."""
    return mappings_dir() / MAPPING_SET


def mapping_rdf_path() -> Path:
    """The shipped SSSOM-RDF form of the mapping set, ``mappings/vcfkg.sssom.ttl`` (written by sssom-py)."""
    return mappings_dir() / MAPPING_SET.replace(".tsv", ".ttl")


def write_mapping_rdf(target: Path) -> Path:
    """Write the mapping set as SSSOM-RDF Turtle with sssom-py: one ``owl:Axiom`` per row, carrying its
    justification, ``see_also``, comment and ``curation_rule`` (``vcf:mapping-needs-check`` on the rows to check).

    ``python -m vcfkg.mappings`` rewrites the shipped copy; a test keeps it equal to what sssom-py writes.
    """
    try:
        with warnings.catch_warnings():  # sssom-py's own deprecation warnings are no news to our users
            warnings.simplefilter("ignore")
            from sssom.parsers import parse_sssom_table
            from sssom.writers import write_rdf
    except ImportError:
        raise MissingExtraError("writing the mapping set needs sssom-py: pip install 'vcfkg[mappings]'") from None
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"sssom(\.|$)")
        mapping_set = parse_sssom_table(mapping_set_path())
        with target.open("w", encoding="utf-8") as handle:
            write_rdf(mapping_set, handle, serialisation="turtle")
    return target


def export_mappings(directory: str | Path) -> list[Path]:
    """Write the mapping set as SSSOM TSV (a copy), SSSOM JSON and RDF Turtle, converted by sssom-py.

    Needs the ``mappings`` extra (``pip install 'vcfkg[mappings]'``).
    """
    try:
        with warnings.catch_warnings():  # sssom-py's own deprecation warnings are no news to our users
            warnings.simplefilter("ignore")
            from sssom.parsers import parse_sssom_table
            from sssom.writers import write_json
    except ImportError:
        raise MissingExtraError("exporting the mapping set needs sssom-py: pip install 'vcfkg[mappings]'") from None
    source = mapping_set_path()
    target = Path(directory)
    stem = MAPPING_SET.removesuffix(".tsv")
    written = [target / MAPPING_SET, target / f"{stem}.json", target / f"{stem}.ttl"]
    try:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, written[0])
        with warnings.catch_warnings():  # sssom-py's own deprecation warnings are no news to our users
            warnings.filterwarnings("ignore", module=r"sssom(\.|$)")
            mapping_set = parse_sssom_table(source)
            with written[1].open("w", encoding="utf-8") as handle:
                write_json(mapping_set, handle)
        write_mapping_rdf(written[2])
    except OSError as error:
        raise InvalidArgumentError(f"{target}: cannot write the mapping set: {error.strerror or error}") from None
    return written


if __name__ == "__main__":
    print(write_mapping_rdf(mapping_rdf_path()))
