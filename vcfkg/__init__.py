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

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vcfkg.errors import (
        EndpointError,
        GraphLoadError,
        InvalidArgumentError,
        InvalidPatientError,
        UnknownQueryError,
        VcfkgError,
    )
    from vcfkg.kg import KnowledgeGraph, connect, load
    from vcfkg.patient import Patient

# Imported on first use: the command (vcfkg.interrupt, then vcfkg.cli) starts with nothing of the API imported,
# so that its interrupt handler is in place within a millisecond of vcfkg's first line.
_LAZY = {
    "KnowledgeGraph": "vcfkg.kg",
    "connect": "vcfkg.kg",
    "load": "vcfkg.kg",
    "Patient": "vcfkg.patient",
    **dict.fromkeys(
        (
            "EndpointError",
            "GraphLoadError",
            "InvalidArgumentError",
            "InvalidPatientError",
            "UnknownQueryError",
            "VcfkgError",
        ),
        "vcfkg.errors",
    ),
}


def __getattr__(name: str) -> Any:
    """The API on first use; ``__version__`` from the installed metadata (importlib.metadata is slow to import)."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("vcfkg")
        except PackageNotFoundError:  # a checkout that is not installed
            return "0+unknown"
    raise AttributeError(f"module 'vcfkg' has no attribute {name!r}")


__all__ = [
    "EndpointError",
    "GraphLoadError",
    "InvalidArgumentError",
    "InvalidPatientError",
    "KnowledgeGraph",
    "Patient",
    "UnknownQueryError",
    "VcfkgError",
    "__version__",
    "connect",
    "load",
]
