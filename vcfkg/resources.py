"""The one place that knows where vcfkg's data files live.

In an installed wheel the ontology, shapes, queries and mappings are shipped inside the
package as ``vcfkg/data/<folder>``; in a source checkout (or an editable install) they are
the top-level folders of the repository. Everything else asks this module.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def data_root() -> Path:
    """The folder holding ``ontology/``, ``shapes/``, ``queries/``, ``mappings/``, ``scenarios/`` and ``contexts/``.

    The package's folder comes from its import spec: the same folder ``importlib.resources.files("vcfkg")``
    returns for an installed package, without the ~9 ms that importing importlib.resources adds to every
    command's start (measured; see README, Performance).
    """
    packaged = Path(sys.modules["vcfkg"].__path__[0]) / "data"
    if (packaged / "ontology").is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent


def ontology_path() -> Path:
    """The shipped guideline graph, ``ontology/vcf.ttl``."""
    return data_root() / "ontology" / "vcf.ttl"


def queries_dir() -> Path:
    """The folder of the SPARQL queries, ``queries/``."""
    return data_root() / "queries"


def shapes_dir() -> Path:
    """The folder of the SHACL shapes, ``shapes/``."""
    return data_root() / "shapes"


def mappings_dir() -> Path:
    """The folder of the SSSOM mapping set, ``mappings/``."""
    return data_root() / "mappings"


def scenarios_path() -> Path:
    """The public scenario suite, ``scenarios/vcf-scenarios.jsonl`` (one case a line; see README)."""
    return data_root() / "scenarios" / "vcf-scenarios.jsonl"


def contexts_dir() -> Path:
    """The shipped JSON-LD contexts, ``contexts/`` (the patient context; see vcfkg.jsonld)."""
    return data_root() / "contexts"
