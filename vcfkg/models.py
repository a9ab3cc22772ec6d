"""Immutable, typed results of the vcfkg API; each has ``to_json()`` giving the public JSON shape."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

Question = Literal["imaging", "treatment"]
Truth = Literal["true", "false", "unknown"]
Json = dict[str, Any]


class RatedProcedure(NamedTuple):
    """One row of a variant's table: a procedure and the category the panel gave it."""

    order: int
    procedure: str
    procedure_id: str
    category: str
    rating_range: tuple[int, int]
    codes: tuple[str, ...] = ()

    def to_json(self) -> Json:
        return {
            "order": self.order,
            "procedure": self.procedure,
            "id": self.procedure_id,
            "category": self.category,
            "rating_range": list(self.rating_range),
            "codes": list(self.codes),
        }


class Variant(NamedTuple):
    number: int
    title: str
    question: Question
    highlights: str
    source_section: str
    ratings: tuple[RatedProcedure, ...]

    def to_json(self) -> Json:
        return {
            "variant": self.number,
            "title": self.title,
            "question": self.question,
            "highlights": self.highlights,
            "source_section": self.source_section,
            "ratings": [rating.to_json() for rating in self.ratings],
        }


class ProcedureRating(NamedTuple):
    variant: int
    category: str

    def to_json(self) -> Json:
        return {"variant": self.variant, "category": self.category}


class Procedure(NamedTuple):
    """A rated procedure with its queryable facets (modality, contrast, coverage are None for treatments)."""

    procedure_id: str
    name: str
    kind: Question
    image_guided_intervention: bool
    modality: str | None
    contrast: str | None
    coverage: str | None
    ratings: tuple[ProcedureRating, ...]

    def to_json(self) -> Json:
        return {
            "id": self.procedure_id,
            "procedure": self.name,
            "kind": self.kind,
            "image_guided_intervention": self.image_guided_intervention,
            "modality": self.modality,
            "contrast": self.contrast,
            "coverage": self.coverage,
            "ratings": [rating.to_json() for rating in self.ratings],
        }


class CriterionTruth(NamedTuple):
    """One clause of a variant's criteria, as text, with its truth for the patient (for --explain)."""

    criterion: str
    truth: Truth

    def to_json(self) -> Json:
        return {"criterion": self.criterion, "truth": self.truth}


class MatchedVariant(NamedTuple):
    variant: int
    title: str
    question: Question
    procedures: tuple[RatedProcedure, ...]
    criteria: tuple[CriterionTruth, ...] = ()

    def to_json(self) -> Json:
        data: Json = {
            "variant": self.variant,
            "title": self.title,
            "question": self.question,
            "procedures": [procedure.to_json() for procedure in self.procedures],
        }
        if self.criteria:
            data["criteria"] = [criterion.to_json() for criterion in self.criteria]
        return data


class PossibleVariant(NamedTuple):
    """A variant none of whose criteria fails, but some are unknown: ``missing`` facts would decide it."""

    variant: int
    title: str
    missing: tuple[str, ...]
    criteria: tuple[CriterionTruth, ...] = ()

    def to_json(self) -> Json:
        data: Json = {"variant": self.variant, "title": self.title, "missing": list(self.missing)}
        if self.criteria:
            data["criteria"] = [criterion.to_json() for criterion in self.criteria]
        return data


class ExcludedVariant(NamedTuple):
    """A variant with a failing criterion; ``reason`` states the patient's facts that make it fail."""

    variant: int
    title: str
    reason: str
    criteria: tuple[CriterionTruth, ...] = ()

    def to_json(self) -> Json:
        data: Json = {"variant": self.variant, "title": self.title, "reason": self.reason}
        if self.criteria:
            data["criteria"] = [criterion.to_json() for criterion in self.criteria]
        return data


class RedFlagHit(NamedTuple):
    """A red flag given for the patient and the potential underlying condition it points to."""

    flag: str
    label: str
    condition: str
    condition_id: str
    sign_of: str | None

    def to_json(self) -> Json:
        data: Json = {
            "flag": self.flag,
            "label": self.label,
            "condition": self.condition,
            "condition_id": self.condition_id,
        }
        if self.sign_of:
            data["sign_of"] = self.sign_of
        return data


class SinsComponentScore(NamedTuple):
    option: str
    label: str
    points: int

    def to_json(self) -> Json:
        return {"option": self.option, "label": self.label, "points": self.points}


class SinsResult(NamedTuple):
    """A SINS score (all six components given) or a score range with the missing components."""

    components: tuple[tuple[str, SinsComponentScore], ...]
    score: int | None
    score_range: tuple[int, int]
    category: str | None
    missing: tuple[str, ...]
    level: str | None = None

    def to_json(self) -> Json:
        data: Json = {}
        if self.score is not None:
            data["score"] = self.score
        else:
            data["score_range"] = list(self.score_range)
            data["missing"] = list(self.missing)
        data["category"] = self.category
        data["components"] = {name: component.to_json() for name, component in self.components}
        if self.level is not None:
            data["level"] = self.level
        return data


class Recommendation(NamedTuple):
    """The answer for one patient: matched variants with their procedures, possible and excluded ones."""

    matched: tuple[MatchedVariant, ...]
    possible: tuple[PossibleVariant, ...]
    excluded: tuple[ExcludedVariant, ...]
    red_flags: tuple[RedFlagHit, ...]
    sins: SinsResult | None

    def to_json(self) -> Json:
        return {
            "matched": [variant.to_json() for variant in self.matched],
            "possible": [variant.to_json() for variant in self.possible],
            "excluded": [variant.to_json() for variant in self.excluded],
            "red_flags": [flag.to_json() for flag in self.red_flags],
            "sins": self.sins.to_json() if self.sins is not None else None,
        }
