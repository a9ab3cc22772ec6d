"""Immutable, typed results of the vcfkg API; each has ``to_json()`` giving the public JSON shape."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

Question = Literal["imaging", "treatment"]
Truth = Literal["true", "false", "unknown"]
Json = dict[str, Any]


class RatedProcedure(NamedTuple):
    """One row of a variant's table: a procedure and the category the panel gave it, with vcfkg's summary of why
    (``rationale``) and the heading path of the guideline's discussion it comes from (``source_section``)."""

    order: int
    procedure: str
    procedure_id: str
    category: str
    rating_range: tuple[int, int]
    codes: tuple[str, ...] = ()
    rationale: str = ""
    source_section: str = ""

    def to_json(self, *, explain: bool = False) -> Json:
        """The row as JSON; ``explain`` adds ``rationale`` and ``source_section``."""
        data: Json = {
            "order": self.order,
            "procedure": self.procedure,
            "id": self.procedure_id,
            "category": self.category,
            "rating_range": list(self.rating_range),
            "codes": list(self.codes),
        }
        if explain:
            data["rationale"] = self.rationale
            data["source_section"] = self.source_section
        return data


class Requirement(NamedTuple):
    """A fact requirement: ``key`` must equal ``value`` (boolean facts) or fall in class ``required_class``."""

    key: str
    value: bool | None
    required_class: str | None


class Criterion(NamedTuple):
    """One clause of a variant's criteria: its order, its requirements (any one suffices) and its text."""

    order: int
    requirements: tuple[Requirement, ...]
    text: str


class Variant(NamedTuple):
    """A clinical variant: number, title, clinical question, summary, source section, rated procedures, and its
    inclusion criteria as read from the graph (the one record of a variant: the API and the compiled vocabulary
    share it; ``to_json`` shows the printed table, not the criteria)."""

    number: int
    title: str
    question: Question
    highlights: str
    source_section: str
    ratings: tuple[RatedProcedure, ...]
    criteria: tuple[Criterion, ...] = ()

    def to_json(self) -> Json:
        """The public JSON shape."""
        return {
            "variant": self.number,
            "title": self.title,
            "question": self.question,
            "highlights": self.highlights,
            "source_section": self.source_section,
            "ratings": [rating.to_json(explain=True) for rating in self.ratings],
        }


class ProcedureRating(NamedTuple):
    """The category a variant gives a procedure."""

    variant: int
    category: str

    def to_json(self) -> Json:
        """The public JSON shape."""
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
        """The public JSON shape."""
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
        """The public JSON shape."""
        return {"criterion": self.criterion, "truth": self.truth}


class MatchedVariant(NamedTuple):
    """A variant whose criteria all hold for the patient, with its rated procedures."""

    variant: int
    title: str
    question: Question
    procedures: tuple[RatedProcedure, ...]
    criteria: tuple[CriterionTruth, ...] = ()

    def to_json(self) -> Json:
        """The public JSON shape."""
        data: Json = {
            "variant": self.variant,
            "title": self.title,
            "question": self.question,
            "procedures": [procedure.to_json(explain=bool(self.criteria)) for procedure in self.procedures],
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
        """The public JSON shape."""
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
        """The public JSON shape."""
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
        """The public JSON shape."""
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
    """A SINS component's chosen option with its label and points."""

    option: str
    label: str
    points: int

    def to_json(self) -> Json:
        """The public JSON shape."""
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
        """The public JSON shape."""
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


class ConflictRating(NamedTuple):
    """How one matched variant rates a procedure that another matched variant rates differently."""

    variant: int
    category: str
    rating_range: tuple[int, int]

    def to_json(self) -> Json:
        """The public JSON shape."""
        return {"variant": self.variant, "category": self.category, "rating_range": list(self.rating_range)}


class Conflict(NamedTuple):
    """A procedure that two or more matched variants rate in different categories; the guideline does not rank
    overlapping variants, so the reader must weigh both."""

    procedure: str
    label: str
    ratings: tuple[ConflictRating, ...]

    def to_json(self) -> Json:
        """The public JSON shape."""
        return {
            "procedure": self.procedure,
            "label": self.label,
            "ratings": [rating.to_json() for rating in self.ratings],
        }


def conflicts_of(matched: tuple[MatchedVariant, ...]) -> tuple[Conflict, ...]:
    """The procedures the matched variants rate in different categories, ordered by procedure id.

    Both evaluation paths call this on their matched variants, so the conflicts are the same on both.
    """
    if len(matched) < 2:
        return ()
    by_procedure: dict[str, list[tuple[int, RatedProcedure]]] = {}
    for variant in matched:
        for rated in variant.procedures:
            by_procedure.setdefault(rated.procedure_id, []).append((variant.variant, rated))
    return tuple(
        Conflict(
            procedure_id,
            rows[0][1].procedure,
            tuple(ConflictRating(number, rated.category, rated.rating_range) for number, rated in rows),
        )
        for procedure_id, rows in sorted(by_procedure.items())
        if len({rated.category for _, rated in rows}) > 1
    )


class Recommendation(NamedTuple):
    """The answer for one patient: matched variants with their procedures, possible and excluded ones, the
    procedures the matched variants rate differently (``conflicts``), and the notice the answer carries."""

    matched: tuple[MatchedVariant, ...]
    possible: tuple[PossibleVariant, ...]
    excluded: tuple[ExcludedVariant, ...]
    red_flags: tuple[RedFlagHit, ...]
    sins: SinsResult | None
    conflicts: tuple[Conflict, ...] = ()
    notice: str = ""

    def to_json(self, *, notice: bool = True) -> Json:
        """The public JSON shape; ``notice=False`` leaves the notice out (batch lines)."""
        data: Json = {
            "matched": [variant.to_json() for variant in self.matched],
            "possible": [variant.to_json() for variant in self.possible],
            "excluded": [variant.to_json() for variant in self.excluded],
            "conflicts": [conflict.to_json() for conflict in self.conflicts],
            "red_flags": [flag.to_json() for flag in self.red_flags],
            "sins": self.sins.to_json() if self.sins is not None else None,
        }
        if notice and self.notice:
            data["notice"] = self.notice
        return data
