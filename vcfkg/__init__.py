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

from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

# Imported on first use: the command (vcfkg.interrupt, then vcfkg.cli) starts with nothing of the API imported,
# so that its interrupt handler is in place within a millisecond of vcfkg's first line.
_LAZY = {
    "EndpointError": "vcfkg.errors",
    "EnvironmentFailure": "vcfkg.errors",
    "GraphLoadError": "vcfkg.errors",
    "InvalidArgumentError": "vcfkg.errors",
    "InvalidCodeError": "vcfkg.errors",
    "InvalidPatientError": "vcfkg.errors",
    "MissingExtraError": "vcfkg.errors",
    "ReasonerError": "vcfkg.errors",
    "ServerError": "vcfkg.errors",
    "UnknownQueryError": "vcfkg.errors",
    "UnknownTermError": "vcfkg.errors",
    "VcfkgError": "vcfkg.errors",
    "KnowledgeGraph": "vcfkg.kg",
    "connect": "vcfkg.kg",
    "load": "vcfkg.kg",
    "Conflict": "vcfkg.models",
    "ConflictRating": "vcfkg.models",
    "Criterion": "vcfkg.models",
    "CriterionTruth": "vcfkg.models",
    "ExcludedVariant": "vcfkg.models",
    "MatchedVariant": "vcfkg.models",
    "PossibleVariant": "vcfkg.models",
    "Procedure": "vcfkg.models",
    "ProcedureRating": "vcfkg.models",
    "RatedProcedure": "vcfkg.models",
    "Recommendation": "vcfkg.models",
    "RedFlagHit": "vcfkg.models",
    "Requirement": "vcfkg.models",
    "SinsComponentScore": "vcfkg.models",
    "SinsResult": "vcfkg.models",
    "Variant": "vcfkg.models",
    "Patient": "vcfkg.patient",
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
