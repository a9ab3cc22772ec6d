"""vcfkg: the ACR Appropriateness Criteria "Management of Vertebral Compression Fractures" (revised 2022)
as a computable, validated knowledge graph.

>>> import vcfkg
>>> kg = vcfkg.load()
>>> answer = kg.recommend({"question": "imaging", "new_fracture": True, "symptomatic": True,
...                        "seen_on_radiographs": True, "malignancy_history": False})
>>> [(v.variant, v.procedures[0].procedure, v.procedures[0].category) for v in answer.matched]
[(1, 'MRI spine area of interest without IV contrast', 'Usually Appropriate')]
>>> [(v.variant, v.missing) for v in answer.possible]
[(3, ('new_back_pain', 'previously_treated_vcf', 'multiple_vcfs'))]
"""

from vcfkg.errors import (
    EndpointError,
    EnvironmentFailure,
    GraphLoadError,
    InvalidArgumentError,
    InvalidCodeError,
    InvalidPatientError,
    MissingExtraError,
    ReasonerError,
    ServerError,
    UnknownQueryError,
    UnknownTermError,
    VcfkgError,
)
from vcfkg.kg import KnowledgeGraph, connect, load
from vcfkg.models import (
    Conflict,
    ConflictRating,
    Criterion,
    CriterionTruth,
    ExcludedVariant,
    MatchedVariant,
    PossibleVariant,
    Procedure,
    ProcedureRating,
    RatedProcedure,
    Recommendation,
    RedFlagHit,
    Requirement,
    SinsComponentScore,
    SinsResult,
    Variant,
)
from vcfkg.patient import Patient

# Result types of the heavier modules, imported on first use so that ``import vcfkg`` stays fast.
_LAZY = {
    "CodeLink": "vcfkg.mappings",
    "TermMappings": "vcfkg.mappings",
    "ExternalCode": "vcfkg.mappings",
    "CodeFact": "vcfkg.mappings",
    "ValidationReport": "vcfkg.validate",
    "Violation": "vcfkg.validate",
    "PublishResult": "vcfkg.publish",
}


def __getattr__(name: str) -> object:
    """``__version__`` (from the installed metadata: importlib.metadata is slow to import) and the result types
    of the heavier modules, on first use."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("vcfkg")
        except PackageNotFoundError:  # a checkout that is not installed
            return "0+unknown"
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'vcfkg' has no attribute {name!r}")


__all__ = [
    "CodeFact",
    "CodeLink",
    "Conflict",
    "ConflictRating",
    "Criterion",
    "CriterionTruth",
    "EndpointError",
    "EnvironmentFailure",
    "ExcludedVariant",
    "ExternalCode",
    "GraphLoadError",
    "InvalidArgumentError",
    "InvalidCodeError",
    "InvalidPatientError",
    "KnowledgeGraph",
    "MatchedVariant",
    "MissingExtraError",
    "Patient",
    "PossibleVariant",
    "Procedure",
    "ProcedureRating",
    "PublishResult",
    "RatedProcedure",
    "ReasonerError",
    "Recommendation",
    "RedFlagHit",
    "Requirement",
    "ServerError",
    "SinsComponentScore",
    "SinsResult",
    "TermMappings",
    "UnknownQueryError",
    "UnknownTermError",
    "ValidationReport",
    "Variant",
    "VcfkgError",
    "Violation",
    "__version__",
    "connect",
    "load",
]
