"""The one place that knows where vcfkg's data files live.

In an installed wheel the ontology, shapes, queries and mappings are shipped inside the
package as ``vcfkg/data/<folder>``; in a source checkout they are the top-level folders
of the repository. Everything else asks this module.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path


@lru_cache(maxsize=1)
def data_root() -> Path:
    """The folder holding ``ontology/``, ``shapes/``, ``queries/`` and ``mappings/``."""
    packaged = Path(str(files("vcfkg"))) / "data"
    if (packaged / "ontology").is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent


def ontology_path() -> Path:
    """The shipped guideline graph, ``ontology/vcf.ttl``."""
    return data_root() / "ontology" / "vcf.ttl"


def queries_dir() -> Path:
    return data_root() / "queries"


def shapes_dir() -> Path:
    return data_root() / "shapes"


def mappings_dir() -> Path:
    return data_root() / "mappings"
