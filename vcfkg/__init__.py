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
    GraphLoadError,
    InvalidArgumentError,
    InvalidPatientError,
    UnknownQueryError,
    VcfkgError,
)
from vcfkg.kg import KnowledgeGraph, connect, load
from vcfkg.patient import Patient


def __getattr__(name: str) -> str:
    """``__version__`` is read from the installed metadata on first use (importlib.metadata is slow to import)."""
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
