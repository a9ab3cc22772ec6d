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

from importlib.metadata import PackageNotFoundError, version

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

try:
    __version__ = version("vcfkg")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0+unknown"

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
